/**
 * The stored statistics of a pattern (§4): what the integrity check recounts and analyses show. The savings
 * figures (`avg_*_with_tool`, `potential_monthly_savings`) are not among them: they are derived when read
 * (see `withSavings`), and their columns are kept only for the ADW schema.
 */
export const STATISTIC_COLUMNS = [
  "occurrence_count",
  "confidence_score",
  "avg_tokens_with_llm",
  "avg_cost_with_llm",
  "first_seen",
  "last_seen",
  "typical_input_pattern",
  "prediction_accuracy",
] as const;

/** The figures derived from the stored statistics when read. */
export const SAVINGS_COLUMNS = [
  "avg_tokens_with_tool",
  "avg_cost_with_tool",
  "potential_monthly_savings",
] as const;
