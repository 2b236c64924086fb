import { emptyPatternState, type PublishedStatistics, publishStatistics } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { foldPatterns } from "./fold-patterns.js";

export type RecomputedStatistics = PublishedStatistics & { prediction_accuracy: number | null };

/**
 * Recomputes every pattern's statistics from scratch: folds its occurrences in insertion order, with each
 * run's outcome re-read from `workflow_history` (see {@link foldPatterns}). A full scan, for the integrity check and tests; the
 * incremental path must agree with it exactly.
 */
export async function recomputeStatistics(db: Kysely<Database>): Promise<Map<string, RecomputedStatistics>> {
  const patterns = await db.selectFrom("operation_patterns").select(["id", "pattern_signature"]).execute();
  const states = await foldPatterns(db);
  const accuracy = await db
    .selectFrom("pattern_predictions")
    .select((eb) => [
      "pattern_id",
      eb.fn.count<number>("was_correct").as("validated"),
      eb.fn.sum<number>("was_correct").as("correct"),
    ])
    .groupBy("pattern_id")
    .execute();
  const accuracyById = new Map(
    accuracy.map((row) => [
      row.pattern_id,
      Number(row.validated) === 0 ? null : Number(row.correct) / Number(row.validated),
    ]),
  );
  const result = new Map<string, RecomputedStatistics>();
  for (const pattern of patterns) {
    result.set(pattern.pattern_signature, {
      ...publishStatistics(states.get(pattern.id) ?? emptyPatternState()),
      prediction_accuracy: accuracyById.get(pattern.id) ?? null,
    });
  }
  return result;
}
