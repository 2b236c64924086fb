import type { PatternloopDatabase } from "@patternloop/db";
import { PatternloopValidatorError } from "../validator-error.js";
import { changeStatus, type StatusChangeResult } from "./automation-status.js";

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

export const DEFAULT_CANDIDATE_THRESHOLDS: CandidateThresholds = Object.freeze({
  minOccurrences: 10,
  minConfidence: 60,
  minMonthlySavings: 1,
  minPredictionAccuracy: 0.8,
  minValidatedPredictions: 5,
});

/**
 * Promotes every `detected` pattern that meets all thresholds to `candidate` (§4), recorded as changed by
 * `patternloop` with the figures that qualified it. A pattern a reviewer sent back from candidate is left
 * to the reviewers, and one that another writer moved meanwhile is left as that writer left it.
 */
export async function promoteCandidates(
  database: PatternloopDatabase,
  thresholds: CandidateThresholds = DEFAULT_CANDIDATE_THRESHOLDS,
): Promise<StatusChangeResult[]> {
  const eligible = await database.db
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
  const promoted: StatusChangeResult[] = [];
  for (const pattern of eligible) {
    const note =
      `${pattern.occurrence_count} runs, confidence ${pattern.confidence_score.toFixed(1)}, ` +
      `$${pattern.potential_monthly_savings.toFixed(2)}/month, prediction accuracy ${((pattern.prediction_accuracy ?? 0) * 100).toFixed(1)}% over ${pattern.validated_count} validations`;
    try {
      promoted.push(
        await changeStatus(database, pattern.pattern_signature, "candidate", { by: "patternloop", note }),
      );
    } catch (error) {
      // Another writer (a replica validating at the same moment, a reviewer) moved it first: nothing to do.
      if (!(error instanceof PatternloopValidatorError && error.code === "illegal_transition")) throw error;
    }
  }
  return promoted;
}
