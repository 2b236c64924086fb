import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import type { PredictionInput } from "./record-predictions.js";
import { runsWithPredictions } from "./runs-with-predictions.js";
import { countValidations, type ValidatedPrediction } from "./validate-predictions.js";

/** A completed run's replayed predictions and the patterns it actually had. */
export interface ReplayedRun {
  workflow_id: string;
  predictions: readonly PredictionInput[];
  actual: readonly string[];
}

const NOTES = "replayed by backfill";

/**
 * Stores replayed predictions of completed runs, marked as replayed and already validated against what the
 * runs actually did, and counts them into their patterns' accuracy and the day's tallies, all in one
 * transaction: a batch is stored whole or not at all, so an interrupted replay resumes where it stopped.
 * A run is written once, validated, instead of inserted and then updated: the replay knows both what was
 * predicted and what happened, and every prediction it writes is new.
 *
 * A run that has predictions already (live, or replayed before) is left as it is, so replaying twice stores
 * once; the caller leaves those out, and this checks again inside the transaction. A prediction of a
 * signature no run has shown (one the request named) is not stored: it would add a pattern that never
 * occurred to the history's list; such a pattern can never qualify for promotion either way. Patterns a
 * run showed but the replay did not predict count as missed, as when a live run is validated.
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
    const predictedBefore = await runsWithPredictions(
      trx,
      runs.map((run) => run.workflow_id),
    );
    const now = new Date().toISOString();
    // Per run, the signatures written for it; a run listed twice is written by its first entry.
    const written = new Map<string, Set<string>>();
    const rows = [];
    for (const run of runs) {
      if (predictedBefore.has(run.workflow_id) || written.has(run.workflow_id)) continue;
      const actual = new Set(run.actual);
      const signaturesOfRun = new Set<string>();
      written.set(run.workflow_id, signaturesOfRun);
      for (const prediction of run.predictions) {
        const patternId = ids.get(prediction.signature);
        if (patternId === undefined || signaturesOfRun.has(prediction.signature)) continue;
        signaturesOfRun.add(prediction.signature);
        rows.push({
          workflow_id: run.workflow_id,
          pattern_id: patternId,
          pattern_signature: prediction.signature,
          predicted_at: now,
          predicted_confidence: Math.min(100, Math.max(0, prediction.confidence)),
          prediction_reason: prediction.reason,
          replayed: 1,
          was_correct: actual.has(prediction.signature) ? 1 : 0,
          validated_at: now,
          validation_notes: NOTES,
        });
      }
    }
    const validated: ValidatedPrediction[] = [];
    // IN_LIST_SIZE rows per insert: 10 values a row, well under the bound-parameter limits.
    for (const chunk of inChunks(rows)) {
      validated.push(
        ...(await trx
          .insertInto("pattern_predictions")
          .values(chunk)
          .onConflict((oc) => oc.columns(["workflow_id", "pattern_id"]).doNothing())
          .returning(["workflow_id", "pattern_id", "pattern_signature", "replayed", "was_correct"])
          .execute()),
      );
    }
    const stored = new Map<string, number>();
    for (const row of validated) stored.set(row.workflow_id, (stored.get(row.workflow_id) ?? 0) + 1);
    const missed: string[] = [];
    for (const run of runs) {
      const signaturesOfRun = written.get(run.workflow_id);
      // Only a run whose predictions were all written here is first validated here; one of them already
      // stored means another writer stored the run meanwhile (PostgreSQL), and counted its misses.
      if (signaturesOfRun === undefined || stored.get(run.workflow_id) !== signaturesOfRun.size) continue;
      written.delete(run.workflow_id);
      for (const signature of new Set(run.actual))
        if (!signaturesOfRun.has(signature)) missed.push(signature);
    }
    await countValidations(trx, validated, missed, now);
    return { predictions: validated.length, runs: stored.size };
  });
}

/** The ids of the signatures' patterns that exist. */
async function patternIds(
  trx: Kysely<Database>,
  signatures: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const chunk of inChunks(signatures)) {
    const rows = await trx
      .selectFrom("operation_patterns")
      .select(["id", "pattern_signature"])
      .where("pattern_signature", "in", chunk)
      .execute();
    for (const row of rows) ids.set(row.pattern_signature, row.id);
  }
  return ids;
}
