import { DEFAULT_SAVINGS_MODEL, type SavingsModel } from "@patternloop/core";
import type { Kysely } from "kysely";
import { withSavings } from "../patterns/pattern-savings.js";
import type { Database } from "../schema/database.js";
import { type PatternReviewFigures, REVIEW_COLUMNS, reviewFigures } from "./patterns-by-status.js";

/** When a detected pattern becomes an automation candidate; every threshold must be met. */
export interface CandidateThresholds {
  minOccurrences: number;
  minConfidence: number;
  /** USD a month. */
  minMonthlySavings: number;
  /** 0–1. */
  minPredictionAccuracy: number;
  minValidatedPredictions: number;
  /** What the monthly savings weighed assume; the default tool-cost share otherwise. */
  savingsModel?: SavingsModel;
}

/**
 * The `detected` patterns that meet every threshold, by signature. A pattern a reviewer once sent back
 * from candidate to detected is not among them: whether it qualifies again is the reviewers' call.
 */
export async function promotablePatterns(
  db: Kysely<Database>,
  thresholds: CandidateThresholds,
): Promise<PatternReviewFigures[]> {
  const rows = await db
    .selectFrom("operation_patterns as op")
    .select(REVIEW_COLUMNS.map((column) => `op.${column}` as const))
    .where("op.automation_status", "=", "detected")
    .where("op.occurrence_count", ">=", thresholds.minOccurrences)
    .where("op.confidence_score", ">=", thresholds.minConfidence)
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
  return (await withSavings(db, rows, thresholds.savingsModel ?? DEFAULT_SAVINGS_MODEL))
    .filter((row) => row.potential_monthly_savings >= thresholds.minMonthlySavings)
    .map(reviewFigures);
}
