import {
  type PatternloopDatabase,
  type ReplayableRun,
  type ReplayedRun,
  replayableRuns,
  storeReplayedPredictions,
} from "@patternloop/db";
import type { StatusChangeResult } from "../lifecycle/automation-status.js";
import { type CandidateThresholds, promoteCandidates } from "../lifecycle/promote-candidates.js";
import { createPredictor, type Predictor } from "../predictor/learned-predictor.js";
import { replayInTimeOrder } from "./replay-in-time-order.js";

export interface ReplayOptions {
  /** Builds the predictor; a fresh default one by default (the one the backtest measures). */
  predictor?: () => Predictor;
  /** The promotion thresholds applied once the replay is stored. */
  candidateThresholds?: CandidateThresholds;
  /** Completed runs whose predictions are stored per transaction. */
  batchSize?: number;
}

export interface ReplaySummary {
  /** Runs placed in time and walked through (learned from, and predicted when completed). */
  runs: number;
  /** Completed runs whose predictions this replay stored and validated (a run predicted nothing stores nothing). */
  replayed_runs: number;
  /** Completed runs left alone because they had predictions already (live, or from an earlier replay). */
  already_predicted: number;
  /** Predictions stored and validated. */
  predictions: number;
  /** Patterns that became automation candidates. */
  promoted: StatusChangeResult[];
}

/**
 * Replays predictions over the recorded history (§6), as the backtest does: in start-time order, each run is
 * predicted only from runs that ended before it started. The predictions of completed runs are stored
 * marked as replayed and validated against what the runs did, a batch per transaction, so patterns have a
 * prediction accuracy after the first backfill; then candidates are promoted. A run with predictions
 * already is learned from but not predicted again, so a second replay stores nothing and an interrupted one
 * finishes where it stopped. Failed runs are learned from but, as live ones, not validated.
 */
export async function replayPredictions(
  database: PatternloopDatabase,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const history: ReplayableRun[] = [];
  for await (const page of replayableRuns(database.db)) history.push(...page);
  const batchSize = options.batchSize ?? 500;
  const summary: ReplaySummary = {
    runs: history.length,
    replayed_runs: 0,
    already_predicted: 0,
    predictions: 0,
    promoted: [],
  };
  let batch: ReplayedRun[] = [];
  const flush = async () => {
    const stored = await storeReplayedPredictions(database.db, batch);
    summary.predictions += stored.predictions;
    summary.replayed_runs += stored.runs;
    batch = [];
  };
  const predictor = (options.predictor ?? createPredictor)();
  for (const { run, predictions } of replayInTimeOrder(history, predictor)) {
    if (run.status !== "completed") continue;
    if (run.has_predictions) {
      summary.already_predicted++;
      continue;
    }
    if (predictions.length === 0) continue;
    batch.push({ workflow_id: run.workflow_id, predictions, actual: run.actual });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  summary.promoted = await promoteCandidates(database, options.candidateThresholds);
  return summary;
}
