import type { Kysely } from "kysely";
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
export function patternsByStatus(
  db: Kysely<Database>,
  status: AutomationStatus,
): Promise<PatternReviewFigures[]> {
  return db
    .selectFrom("operation_patterns")
    .select([
      "pattern_signature",
      "occurrence_count",
      "confidence_score",
      "potential_monthly_savings",
      "prediction_accuracy",
      "validated_count",
    ])
    .where("automation_status", "=", status)
    .orderBy("potential_monthly_savings", "desc")
    .execute();
}
