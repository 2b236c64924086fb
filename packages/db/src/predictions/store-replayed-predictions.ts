import type { Kysely } from "kysely";
import { ensurePatterns } from "../patterns/record-occurrences.js";
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
 * Returns how many predictions were stored.
 */
export async function storeReplayedPredictions(
  db: Kysely<Database>,
  runs: readonly ReplayedRun[],
): Promise<number> {
  const signatures = [...new Set(runs.flatMap((run) => run.predictions.map((p) => p.signature)))];
  if (signatures.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const { ids } = await ensurePatterns(trx, signatures);
    const now = new Date().toISOString();
    const rows = runs.flatMap((run) =>
      run.predictions.map((prediction) => ({
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
    for (let i = 0; i < rows.length; i += ROWS) {
      const inserted = await trx
        .insertInto("pattern_predictions")
        .values(rows.slice(i, i + ROWS))
        .onConflict((oc) => oc.columns(["workflow_id", "pattern_id"]).doNothing())
        .returning("id")
        .execute();
      stored += inserted.length;
    }
    await validateStoredPredictionsOfRuns(trx, runs, "replayed by backfill");
    return stored;
  });
}
