import {
  type PatternloopDatabase,
  type ReplayableRun,
  type ReplayedRun,
  refreshPredictionStatistics,
  replayableRunsByIds,
  replayableRunTimes,
  storeReplayedPredictions,
} from "@patternloop/db";
import type { StatusChangeResult } from "../lifecycle/automation-status.js";
import { type CandidateThresholds, promoteCandidates } from "../lifecycle/promote-candidates.js";
import { createPredictor, type Predictor } from "../predictor/learned-predictor.js";
import { type TimeStep, timeOrder, timeSteps } from "./replay-in-time-order.js";
import { collectTimes } from "./time-table.js";

export interface ReplayOptions {
  /** Builds the predictor; a fresh default one by default (the one the backtest measures). */
  predictor?: () => Predictor;
  /** The promotion thresholds applied once the replay is stored. */
  candidateThresholds?: CandidateThresholds;
  /** Completed runs whose predictions are stored per transaction. */
  batchSize?: number;
  /** Runs predicted so far of all there are to walk through, after each stretch of the walk. */
  onProgress?: (progress: { walked: number; total: number }) => void;
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

/** Steps of the walk whose runs are read together: three queries per thousand runs, memory flat. */
const STRETCH = 2000;

/**
 * Predictions stored before the table's statistics are first refreshed; each later refresh waits until the
 * replay has stored twice as many: a handful of `ANALYZE`s however long the history.
 */
const FIRST_STATISTICS = 5_000;

/** Runs predicted between two turns of the event loop: a few milliseconds of predicting. */
const YIELD_EVERY = 25;

function turnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Replays predictions over the recorded history (§6), as the backtest does: in start-time order, each run is
 * predicted only from runs that ended before it started. The predictions of completed runs are stored
 * marked as replayed and validated against what the runs did, a batch per transaction, so patterns have a
 * prediction accuracy after the first backfill; then candidates are promoted. A run with predictions
 * already is learned from but not predicted again, so a second replay stores nothing and an interrupted one
 * finishes where it stopped. Failed runs are learned from but, as live ones, not validated.
 *
 * Only the order of the history is held in memory (a row id and four ranks a run, see {@link timeOrder});
 * the runs themselves are read a stretch of the walk at a time (a run is read again when it ends in a later
 * stretch than it starts). One batch is stored while the next is predicted: on PostgreSQL the database and
 * the predictor work at once; batches still commit one after the other, in order.
 */
export async function replayPredictions(
  database: PatternloopDatabase,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const { ids, order } = await historyInTimeOrder(database);
  const batchSize = options.batchSize ?? 500;
  const summary: ReplaySummary = {
    runs: ids.length,
    replayed_runs: 0,
    already_predicted: 0,
    predictions: 0,
    promoted: [],
  };
  const store = pipelinedStore(database, summary);
  const predictor = (options.predictor ?? createPredictor)();
  let batch: ReplayedRun[] = [];
  let walked = 0;
  const walkStretch = async (steps: readonly TimeStep[]) => {
    const runs = new Map<number, ReplayableRun>();
    const wanted = new Set(steps.map((step) => ids[step.learn ?? step.predict] as number));
    for (const run of await replayableRunsByIds(database.db, [...wanted])) runs.set(run.id, run);
    for (const step of steps) {
      // A run deleted since the history was read is gone from the walk.
      const run = runs.get(ids[step.learn ?? step.predict] as number);
      if (step.learn !== undefined) {
        if (run !== undefined) predictor.learn(run, run.actual);
        continue;
      }
      walked++;
      // The batch being stored moves a statement forward only when the event loop turns: without these
      // turns the predictor and the database would take turns instead of working at once.
      if (walked % YIELD_EVERY === 0) await turnOfEventLoop();
      if (run === undefined || run.status !== "completed") continue;
      if (run.has_predictions) {
        summary.already_predicted++;
        continue;
      }
      const predictions = predictor.predict(run);
      if (predictions.length === 0) continue;
      batch.push({ workflow_id: run.workflow_id, predictions, actual: run.actual });
      if (batch.length >= batchSize) {
        await store.next(batch);
        batch = [];
      }
    }
    options.onProgress?.({ walked, total: ids.length });
  };
  try {
    let steps: TimeStep[] = [];
    for (const step of timeSteps(order)) {
      steps.push(step);
      if (steps.length >= STRETCH) {
        await walkStretch(steps);
        steps = [];
      }
    }
    await walkStretch(steps);
    await store.next(batch);
  } finally {
    // Stopped by a failure: the batch under way ends before the caller may close the database.
    await store.settled();
  }
  await store.drain();
  summary.promoted = await promoteCandidates(database, options.candidateThresholds);
  return summary;
}

/** The replayable runs' row ids, and their order in time (indexes into `ids`). */
async function historyInTimeOrder(database: PatternloopDatabase) {
  const ids: number[] = [];
  const times = collectTimes();
  for await (const page of replayableRunTimes(database.db)) {
    for (const run of page) {
      ids.push(run.id);
      times.add(run);
    }
  }
  return { ids, order: timeOrder(times.table()) };
}

/**
 * Stores batches one at a time, the next one starting once the one before has committed, without the caller
 * waiting for a batch it has just handed over. A batch that fails is reported at the next call or by drain().
 */
function pipelinedStore(database: PatternloopDatabase, summary: ReplaySummary) {
  let pending: Promise<void> = Promise.resolve();
  let refreshAt = FIRST_STATISTICS;
  return {
    async next(batch: readonly ReplayedRun[]) {
      await pending;
      if (batch.length === 0) return;
      pending = storeReplayedPredictions(database.db, batch).then(async (stored) => {
        summary.predictions += stored.predictions;
        summary.replayed_runs += stored.runs;
        // The replay grows the predictions table faster than autovacuum looks, and reads it back as it goes.
        if (summary.predictions >= refreshAt) {
          refreshAt = summary.predictions * 2;
          await refreshPredictionStatistics(database.db);
        }
      });
      // Handled at the next call, or by drain(); until then Node must not call the failure unhandled.
      pending.catch(() => {});
    },
    /** Waits for the batch under way; rejects if it failed. */
    drain: () => pending,
    /** Waits for the batch under way, whatever its outcome. */
    settled: () => pending.catch(() => {}),
  };
}
