import { toUtcIso } from "@patternloop/core";
import {
  insertStartedRun,
  type PatternloopDatabase,
  type PredictionInput,
  predictionsOfWorkflow,
  recordPredictions,
} from "@patternloop/db";
import type { Predictor } from "../predictor/learned-predictor.js";

/** A run that starts: its id and what it was asked; explicit predictions replace the predictor's. */
export interface RunStart {
  workflow_id: string;
  nl_input?: string | null;
  workflow_template?: string | null;
  adw_id?: string | null;
  start_time?: string | null;
  request_id?: string | null;
  /** The project the run works in (a hook's `cwd`), when known. */
  project?: string | null;
  predictions?: readonly PredictionInput[];
}

export interface RunStartResult {
  workflow_id: string;
  /** False when the run was already registered: the same delivery twice is the same as once. */
  created: boolean;
  predictions: PredictionInput[];
}

/**
 * Registers a run as `running` and stores its predictions, made from what is known at its start (§6): the
 * explicit ones given, else the predictor's. Registering a run again changes nothing and returns the
 * predictions stored the first time.
 */
export async function startRun(
  database: PatternloopDatabase,
  start: RunStart,
  predictor: Predictor,
): Promise<RunStartResult> {
  const startTime = toUtcIso(start.start_time) ?? new Date().toISOString();
  const created = await database.db.transaction().execute(async (trx) => {
    const inserted = await insertStartedRun(trx, {
      workflow_id: start.workflow_id,
      adw_id: start.adw_id,
      nl_input: start.nl_input,
      workflow_template: start.workflow_template,
      start_time: startTime,
      project: start.project,
    });
    if (!inserted) return false;
    const predictions = start.predictions ?? predictor.predict(start);
    await recordPredictions(trx, start.workflow_id, predictions, start.request_id ?? null);
    return true;
  });
  const stored = await predictionsOfWorkflow(database.db, start.workflow_id);
  return {
    workflow_id: start.workflow_id,
    created,
    predictions: stored.map((row) => ({
      signature: row.pattern_signature,
      confidence: row.predicted_confidence,
      reason: row.prediction_reason ?? "",
    })),
  };
}
