import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { PredictionInput } from "./record-predictions.js";
import { validateStoredPredictionsOfRuns } from "./validate-predictions.js";

/** A completed run's replayed predictions and the patterns it actually had. */
export interface ReplayedRun {
  workflow_id: string;
  predictions: readonly PredictionInput[];
  actual: readonly string[];
}

/** Rows per insert, well under the bound-parameter limits (8 values a row). */
const ROWS = 500;

/**
 * Stores replayed predictions of completed runs, marked as replayed, and validates them against what the
 * runs actually did, all in one transaction: a batch is stored whole or not at all, so an interrupted
 * replay resumes where it stopped. The caller leaves out runs that have predictions already (live, or
 * replayed before), and a (run, pattern) stored before is kept as it is: replaying twice stores once.
 * A prediction of a signature no run has shown (one the request named) is not stored: it would add a pattern
 * that never occurred to the history's list; such a pattern can never qualify for promotion either way.
 * Returns how many predictions were stored, for how many runs.
 */
export async function storeReplayedPredictions(
  db: Kysely<Database>,
  runs: readonly ReplayedRun[],
): Promise<{ predictions: number; runs: number }> {
  const signatures = [...new Set(runs.flatMap((run) => run.predictions.map((p) => p.signature)))];
  if (signatures.length === 0) return { predictions: 0, runs: 0 };
  return db.transaction().execute(async (trx) => {
    const ids = await patternIds(trx, signatures);
    const now = new Date().toISOString();
    const rows = runs.flatMap((run) =>
      run.predictions
        .filter((prediction) => ids.has(prediction.signature))
        .map((prediction) => ({
          workflow_id: run.workflow_id,
          pattern_id: ids.get(prediction.signature) as number,
          pattern_signature: prediction.signature,
          predicted_at: now,
          predicted_confidence: Math.min(100, Math.max(0, prediction.confidence)),
          prediction_reason: prediction.reason,
          replayed: 1,
        })),
    );
    let stored = 0;
    const storedRuns = new Set<string>();
    for (let i = 0; i < rows.length; i += ROWS) {
      const inserted = await trx
        .insertInto("pattern_predictions")
        .values(rows.slice(i, i + ROWS))
        .onConflict((oc) => oc.columns(["workflow_id", "pattern_id"]).doNothing())
        .returning("workflow_id")
        .execute();
      stored += inserted.length;
      for (const row of inserted) storedRuns.add(row.workflow_id);
    }
    await validateStoredPredictionsOfRuns(trx, runs, "replayed by backfill");
    return { predictions: stored, runs: storedRuns.size };
  });
}

/** The ids of the signatures' patterns that exist. */
async function patternIds(
  trx: Kysely<Database>,
  signatures: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < signatures.length; i += ROWS) {
    const rows = await trx
      .selectFrom("operation_patterns")
      .select(["id", "pattern_signature"])
      .where("pattern_signature", "in", signatures.slice(i, i + ROWS))
      .execute();
    for (const row of rows) ids.set(row.pattern_signature, row.id);
  }
  return ids;
}
