import { type CandidateThresholds, type PatternloopDatabase, promotablePatterns } from "@patternloop/db";
import { PatternloopValidatorError } from "../validator-error.js";
import { changeStatus, type StatusChangeResult } from "./automation-status.js";

export type { CandidateThresholds };

/**
 * The default promotion thresholds, chosen on a real history of 1,850 Claude Code runs (see the README):
 * established patterns (10 runs, confidence 60: the "established" tier) worth a quarter-dollar a month, whose
 * replayed predictions came true at least 40 % of the time over at least 5 validations. The learned
 * predictor's precision there is about 0.5 for common patterns (over four times their base rate); accuracy
 * 0.8 and $1 a month left no candidate at all.
 */
export const DEFAULT_CANDIDATE_THRESHOLDS: CandidateThresholds = Object.freeze({
  minOccurrences: 10,
  minConfidence: 60,
  minMonthlySavings: 0.25,
  minPredictionAccuracy: 0.4,
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
  const eligible = await promotablePatterns(database.db, thresholds);
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
