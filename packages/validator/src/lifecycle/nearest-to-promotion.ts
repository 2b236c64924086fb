import { type PatternloopDatabase, type PatternReviewRow, patternsByStatus } from "@patternloop/db";
import { type ThresholdMiss, thresholdMisses } from "./candidate-thresholds.js";
import type { CandidateThresholds } from "./promote-candidates.js";

/** A detected pattern with the promotion thresholds it misses (none: it qualifies at the next promotion). */
export type PatternMisses = PatternReviewRow & { misses: ThresholdMiss[] };

/** Every `detected` pattern with the thresholds it misses, in review order (scriptable savings first). */
export async function detectedWithMisses(
  database: PatternloopDatabase,
  thresholds: CandidateThresholds,
): Promise<PatternMisses[]> {
  const rows = await patternsByStatus(database.db, "detected", thresholds.savingsModel);
  return rows.map((row) => ({ ...row, misses: thresholdMisses(row, thresholds) }));
}

/**
 * The detected patterns nearest to promotion: fewest thresholds missed first, then the most a script could
 * save; so a reviewer sees which threshold holds back the patterns most worth automating.
 */
export async function nearestToPromotion(
  database: PatternloopDatabase,
  thresholds: CandidateThresholds,
  limit = 5,
): Promise<PatternMisses[]> {
  const rows = await detectedWithMisses(database, thresholds);
  // Array sort is stable: among equal misses, the review order (scriptable savings) stays.
  return rows.sort((a, b) => a.misses.length - b.misses.length).slice(0, limit);
}
