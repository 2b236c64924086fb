import type { Prediction, Predictor } from "../predictor/learned-predictor.js";
import type { PredictionRequest } from "../predictor/request-features.js";

/** A finished run placed in time, with the patterns it actually had. */
export interface TimedRun extends PredictionRequest {
  workflow_id: string;
  start_time: string;
  end_time: string;
  actual: readonly string[];
}

/**
 * Walks a history in start-time order and yields each run with what the predictor expected of it, having
 * learned only the runs that ended before it started: the predictor never sees the future. Shared by the
 * backtest and the replay that backfill stores.
 */
export function* replayInTimeOrder<R extends TimedRun>(
  history: readonly R[],
  predictor: Predictor,
): Generator<{ run: R; predictions: Prediction[] }> {
  const byStart = [...history].sort(
    (a, b) => compare(a.start_time, b.start_time) || compare(a.workflow_id, b.workflow_id),
  );
  const byEnd = [...history].sort(
    (a, b) => compare(a.end_time, b.end_time) || compare(a.workflow_id, b.workflow_id),
  );
  let next = 0;
  for (const run of byStart) {
    // Strictly before: a run that ends as this one starts was not known at its start.
    for (let done = byEnd[next]; done !== undefined && done.end_time < run.start_time; done = byEnd[++next]) {
      predictor.learn(done, done.actual);
    }
    yield { run, predictions: predictor.predict(run) };
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
