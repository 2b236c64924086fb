import type { Prediction, Predictor } from "../predictor/learned-predictor.js";
import type { PredictionRequest } from "../predictor/request-features.js";

/** When a run ran: all that placing it in time needs. */
export interface RunTimes {
  workflow_id: string;
  start_time: string;
  end_time: string;
}

/** A finished run placed in time, with the patterns it actually had. */
export interface TimedRun extends PredictionRequest, RunTimes {
  actual: readonly string[];
}

/**
 * Runs in time order, by their index in the list they were given: in start-time order, and in end-time order
 * (each then by workflow id, so that ties always fall the same way), with each time as its rank among all of
 * them. Ranks compare as the times do, and typed arrays hold a million runs in 16 MB: a replay keeps the
 * order, not the times.
 */
export interface TimeOrder {
  byStart: Uint32Array;
  byEnd: Uint32Array;
  startRank: Uint32Array;
  endRank: Uint32Array;
}

/** The {@link TimeOrder} of runs. */
export function timeOrder(runs: readonly RunTimes[]): TimeOrder {
  const at = (i: number) => runs[i] as RunTimes;
  const indexes = () => Uint32Array.from({ length: runs.length }, (_, i) => i);
  const byStart = indexes().sort(
    (a, b) => compare(at(a).start_time, at(b).start_time) || compare(at(a).workflow_id, at(b).workflow_id),
  );
  const byEnd = indexes().sort(
    (a, b) => compare(at(a).end_time, at(b).end_time) || compare(at(a).workflow_id, at(b).workflow_id),
  );
  // Both lists are sorted by time: merging them ranks every start and end time at once.
  const startRank = new Uint32Array(runs.length);
  const endRank = new Uint32Array(runs.length);
  let rank = 0;
  let last: string | undefined;
  for (let s = 0, e = 0; s < byStart.length || e < byEnd.length; ) {
    const start = s < byStart.length ? at(byStart[s] as number).start_time : undefined;
    const end = e < byEnd.length ? at(byEnd[e] as number).end_time : undefined;
    const takeStart = end === undefined || (start !== undefined && start <= end);
    const time = (takeStart ? start : end) as string;
    if (last !== undefined && time !== last) rank++;
    last = time;
    if (takeStart) startRank[byStart[s++] as number] = rank;
    else endRank[byEnd[e++] as number] = rank;
  }
  return { byStart, byEnd, startRank, endRank };
}

/** A step of a replay: predict the run of this index, or learn from it. */
export type TimeStep = { predict: number; learn?: never } | { learn: number; predict?: never };

/**
 * The steps of a replay in time order: each run is predicted at its start, having learned only from the
 * runs that ended strictly before it started (a run that ends as another starts was not known at its start),
 * so the predictor never sees the future.
 */
export function* timeSteps(order: TimeOrder): Generator<TimeStep> {
  const { byStart, byEnd, startRank, endRank } = order;
  let next = 0;
  for (const run of byStart) {
    for (
      ;
      next < byEnd.length && (endRank[byEnd[next] as number] as number) < (startRank[run] as number);
      next++
    )
      yield { learn: byEnd[next] as number };
    yield { predict: run };
  }
}

/**
 * Walks a history in start-time order and yields each run with what the predictor expected of it, having
 * learned only the runs that ended before it started (see {@link timeSteps}). The backtest walks a history
 * held in memory this way; the replay that backfill stores walks the same steps over the database.
 */
export function* replayInTimeOrder<R extends TimedRun>(
  history: readonly R[],
  predictor: Predictor,
): Generator<{ run: R; predictions: Prediction[] }> {
  for (const step of timeSteps(timeOrder(history))) {
    if (step.learn !== undefined) {
      const done = history[step.learn] as R;
      predictor.learn(done, done.actual);
    } else {
      const run = history[step.predict] as R;
      yield { run, predictions: predictor.predict(run) };
    }
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
