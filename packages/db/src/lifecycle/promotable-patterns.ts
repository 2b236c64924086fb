import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { PatternReviewFigures } from "./patterns-by-status.js";

/** When a detected pattern becomes an automation candidate; every threshold must be met. */
export interface CandidateThresholds {
  minOccurrences: number;
  minConfidence: number;
  /** USD a month. */
  minMonthlySavings: number;
  /** 0–1. */
  minPredictionAccuracy: number;
  minValidatedPredictions: number;
}

/**
 * The `detected` patterns that meet every threshold, by signature. A pattern a reviewer once sent back
 * from candidate to detected is not among them: whether it qualifies again is the reviewers' call.
 */
export function promotablePatterns(
  db: Kysely<Database>,
  thresholds: CandidateThresholds,
): Promise<PatternReviewFigures[]> {
  return db
    .selectFrom("operation_patterns as op")
    .select([
      "op.pattern_signature",
      "op.occurrence_count",
      "op.confidence_score",
      "op.potential_monthly_savings",
      "op.prediction_accuracy",
      "op.validated_count",
    ])
    .where("op.automation_status", "=", "detected")
    .where("op.occurrence_count", ">=", thresholds.minOccurrences)
    .where("op.confidence_score", ">=", thresholds.minConfidence)
    .where("op.potential_monthly_savings", ">=", thresholds.minMonthlySavings)
    .where("op.prediction_accuracy", ">=", thresholds.minPredictionAccuracy)
    .where("op.validated_count", ">=", thresholds.minValidatedPredictions)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("pattern_status_history as h")
            .select("h.id")
            .whereRef("h.pattern_id", "=", "op.id")
            .where("h.from_status", "=", "candidate")
            .where("h.to_status", "=", "detected"),
        ),
      ),
    )
    .orderBy("op.pattern_signature")
    .execute();
}
