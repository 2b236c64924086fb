import { type Detector, occurrencesOfRun } from "@patternloop/core";
import type { Kysely } from "kysely";
import { type PreparedRun, prepareRun } from "../patterns/prepared-occurrence.js";
import { type CallDetail, loadQueuedRuns, type QueuedRun } from "../runs/load-runs.js";
import type { Database } from "../schema/database.js";

/** A run a backfill could not process, and why. */
export interface BackfillError {
  workflow_id: string;
  message: string;
}

/** A run's occurrences ready to store, with the run's row id (`workflow_history.id`). */
export type DetectedRun = PreparedRun & { id: number };

/** What detection made of one batch of the queue: its runs in queue order, and the runs that failed. */
export interface DetectedBatch {
  runs: DetectedRun[];
  errors: BackfillError[];
}

/**
 * Detects the patterns of each run and prepares its occurrences for storing. A run that fails is reported
 * in `errors`; the others go on.
 */
export function detectBatch(runs: Iterable<QueuedRun>, detect: Detector): DetectedBatch {
  const batch: DetectedBatch = { runs: [], errors: [] };
  for (const { id, run } of runs) {
    try {
      const prepared = prepareRun(run.workflow_id, occurrencesOfRun(run, detect(run)));
      batch.runs.push({ id, ...prepared });
    } catch (error) {
      batch.errors.push(errorOf(run.workflow_id, error));
    }
  }
  return batch;
}

export function errorOf(workflowId: string, error: unknown): BackfillError {
  return { workflow_id: workflowId, message: error instanceof Error ? error.message : String(error) };
}

/** The queue's batches detected in this thread: each batch read, then detected, then handed over. */
export async function* detectInProcess(
  db: Kysely<Database>,
  queue: readonly number[],
  batchSize: number,
  detect: Detector,
  detail: CallDetail,
): AsyncGenerator<DetectedBatch> {
  for (let start = 0; start < queue.length; start += batchSize)
    yield detectBatch(await loadQueuedRuns(db, queue.slice(start, start + batchSize), detail), detect);
}
