/** The published statistics of a pattern (§4): what the integrity check recounts and analyses show. */
export const STATISTIC_COLUMNS = [
  "occurrence_count",
  "confidence_score",
  "avg_tokens_with_llm",
  "avg_cost_with_llm",
  "avg_tokens_with_tool",
  "avg_cost_with_tool",
  "potential_monthly_savings",
  "first_seen",
  "last_seen",
  "typical_input_pattern",
  "prediction_accuracy",
] as const;
