import type { Prediction, Predictor } from "../predictor/learned-predictor.js";
import type { PredictionRequest } from "../predictor/request-features.js";
import { type RunTimes, type TimeTable, timeTableOf } from "./time-table.js";

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

/** The {@link TimeOrder} of runs (see {@link timeTableOf} and {@link collectTimes}). */
export function timeOrder(runs: TimeTable): TimeOrder {
  const indexes = () => Uint32Array.from({ length: runs.length }, (_, i) => i);
  const { start: startOf, end: endOf, workflowId } = runs;
  const byStart = indexes().sort(
    (a, b) => compare(startOf(a), startOf(b)) || compare(workflowId(a), workflowId(b)),
  );
  const byEnd = indexes().sort(
    (a, b) => compare(endOf(a), endOf(b)) || compare(workflowId(a), workflowId(b)),
  );
  // Both lists are sorted by time: merging them ranks every start and end time at once.
  const startRank = new Uint32Array(runs.length);
  const endRank = new Uint32Array(runs.length);
  let rank = 0;
  let last: string | number | undefined;
  for (let s = 0, e = 0; s < byStart.length || e < byEnd.length; ) {
    const start = s < byStart.length ? startOf(byStart[s] as number) : undefined;
    const end = e < byEnd.length ? endOf(byEnd[e] as number) : undefined;
    const takeStart = end === undefined || (start !== undefined && start <= end);
    const time = (takeStart ? start : end) as string | number;
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
  for (const step of timeSteps(timeOrder(timeTableOf(history)))) {
    if (step.learn !== undefined) {
      const done = history[step.learn] as R;
      predictor.learn(done, done.actual);
    } else {
      const run = history[step.predict] as R;
      yield { run, predictions: predictor.predict(run) };
    }
  }
}

export function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
