/** Columns of `operation_patterns` every pattern listing carries, under those very names (the users' contract). */
export const PATTERN_COLUMNS = [
  "id",
  "pattern_signature",
  "pattern_type",
  "occurrence_count",
  "confidence_score",
  "avg_tokens_with_llm",
  "avg_cost_with_llm",
  "avg_tokens_with_tool",
  "avg_cost_with_tool",
  "potential_monthly_savings",
  "automation_status",
  "typical_input_pattern",
  "prediction_accuracy",
  "first_seen",
  "last_seen",
];
