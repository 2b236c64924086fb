import type { Kysely } from "kysely";
import { ensurePatterns } from "../patterns/record-occurrences.js";
import type { Database } from "../schema/database.js";

/** A prediction to store for a run: a pattern, a confidence (0–100) and a readable reason. */
export interface PredictionInput {
  signature: string;
  confidence: number;
  reason: string;
}

/**
 * Stores a run's predictions in the caller's transaction; at most one per (run, pattern), enforced by the
 * database, so storing the same predictions again adds nothing. Returns how many were new.
 */
export async function recordPredictions(
  trx: Kysely<Database>,
  workflowId: string,
  predictions: readonly PredictionInput[],
  requestId: string | null = null,
): Promise<number> {
  if (predictions.length === 0) return 0;
  const { ids } = await ensurePatterns(trx, [...new Set(predictions.map((p) => p.signature))]);
  const now = new Date().toISOString();
  const inserted = await trx
    .insertInto("pattern_predictions")
    .values(
      predictions.map((prediction) => ({
        workflow_id: workflowId,
        request_id: requestId,
        pattern_id: ids.get(prediction.signature) as number,
        pattern_signature: prediction.signature,
        predicted_at: now,
        predicted_confidence: Math.min(100, Math.max(0, prediction.confidence)),
        prediction_reason: prediction.reason,
      })),
    )
    .onConflict((oc) => oc.columns(["workflow_id", "pattern_id"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}
