import { DEFAULT_SAVINGS_MODEL, type SavingsModel } from "@patternloop/core";
import type { Kysely } from "kysely";
import { byMonthlySavings, withSavings } from "../patterns/pattern-savings.js";
import type { Database } from "../schema/database.js";
import type { AutomationStatus, OperationPattern } from "../schema/operation-patterns-table.js";

/** The figures a reviewer (or the automatic promotion) weighs about a pattern. */
export type PatternReviewFigures = Pick<
  OperationPattern,
  | "pattern_signature"
  | "occurrence_count"
  | "confidence_score"
  | "potential_monthly_savings"
  | "prediction_accuracy"
  | "validated_count"
>;

/** The patterns that have this automation status, the largest monthly savings first. */
export async function patternsByStatus(
  db: Kysely<Database>,
  status: AutomationStatus,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternReviewFigures[]> {
  const rows = await db
    .selectFrom("operation_patterns")
    .select(REVIEW_COLUMNS)
    .where("automation_status", "=", status)
    .execute();
  return (await withSavings(db, rows, model)).sort(byMonthlySavings).map(reviewFigures);
}

/** The stored columns the review figures come from. */
export const REVIEW_COLUMNS = [
  "pattern_signature",
  "occurrence_count",
  "confidence_score",
  "avg_tokens_with_llm",
  "avg_cost_with_llm",
  "prediction_accuracy",
  "validated_count",
] as const;

/** The review figures of a pattern whose savings were derived. */
export function reviewFigures(row: PatternReviewFigures): PatternReviewFigures {
  return {
    pattern_signature: row.pattern_signature,
    occurrence_count: row.occurrence_count,
    confidence_score: row.confidence_score,
    potential_monthly_savings: row.potential_monthly_savings,
    prediction_accuracy: row.prediction_accuracy,
    validated_count: row.validated_count,
  };
}
