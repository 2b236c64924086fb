import type { Worker } from "node:worker_threads";
import { startWorker } from "../start-worker.js";
import type { DetectedBatch } from "./detected-batch.js";
import { batchOf } from "./run-queue.js";

/** What the detection worker starts with. */
export interface DetectionWorkerData {
  /** The SQLite file, opened read-only by the worker. */
  path: string;
}

/** The worker's answer to one batch of row ids. */
export type DetectionReply = { batch: DetectedBatch } | { failure: unknown };

/**
 * Batches asked of the worker beyond the one being written. One keeps both threads busy (the worker
 * detects the next batch while the writer stores this one); two were no faster and held ~20 MB more.
 */
const AHEAD = 1;

/**
 * The worker's heap. A batch needs a few megabytes; unbounded, V8 let the worker's heap grow to about
 * 100 MB of mostly garbage before collecting it, a third of the backfill's resident memory. A worker that
 * runs out (a run with an enormous number of tool calls) stops, and the batches left are detected in the
 * calling thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };

/** Options of {@link detectInWorker}. */
export interface DetectInWorkerOptions {
  /** Detects a batch in the calling thread: the batches the worker failed on, or that are left once it stopped. */
  fallback: (ids: readonly number[]) => Promise<DetectedBatch>;
  /** Starts the worker: {@link detectionWorker} unless a test passes another. */
  start?: (data: DetectionWorkerData) => Worker;
}

/**
 * The queue's batches detected by a worker thread ({@link detectionWorker}) while the caller writes the
 * previous ones: the reads of runs and tool calls and the detection run on a second core. Batches come in
 * queue order, as {@link detectInProcess} gives them. The worker reads through a read-only connection of
 * its own, which WAL lets read beside the writer; it reads only the runs and their tool calls, which a
 * backfill does not change (the processed markers it sets are not read). Stopped when iteration ends,
 * however it ends.
 *
 * Should the worker fail on a batch, or stop (out of its memory, or unable to start), `fallback` detects
 * that batch and the ones after it: detection is pure, so the batches are the same either way.
 */
export async function* detectInWorker(
  path: string,
  queue: Float64Array,
  batchSize: number,
  options: DetectInWorkerOptions,
): AsyncGenerator<DetectedBatch> {
  const waiting: { resolve(reply: DetectionReply): void; reject(error: unknown): void }[] = [];
  let stopped: unknown;
  const stop = (error: unknown) => {
    stopped ??= error;
    for (const reply of waiting.splice(0)) reply.reject(stopped);
  };
  let worker: Worker | undefined;
  try {
    worker = (options.start ?? detectionWorker)({ path });
    worker.on("message", (reply: DetectionReply) => waiting.shift()?.resolve(reply));
    worker.on("error", stop);
    worker.on("exit", (code) => stop(new Error(`the backfill's detection worker exited (code ${code})`)));
  } catch (error) {
    stop(error);
  }
  const ask = (ids: number[]): Promise<DetectionReply> => {
    if (stopped !== undefined || worker === undefined) return Promise.reject(stopped);
    const reply = new Promise<DetectionReply>((resolve, reject) => waiting.push({ resolve, reject }));
    // Awaited in turn; a failure before then must not count as unhandled.
    reply.catch(() => undefined);
    worker.postMessage(ids);
    return reply;
  };
  try {
    const asked: Promise<DetectionReply>[] = [];
    let next = 0;
    for (let start = 0; start < queue.length; start += batchSize) {
      for (; next < queue.length && next <= start + AHEAD * batchSize; next += batchSize)
        asked.push(ask(batchOf(queue, next, batchSize)));
      const reply = await (asked.shift() as Promise<DetectionReply>).catch((failure: unknown) => ({
        failure,
      }));
      yield "batch" in reply ? reply.batch : await options.fallback(batchOf(queue, start, batchSize));
    }
  } finally {
    await worker?.terminate();
  }
}

/** Starts `detection-worker.js` (see {@link startWorker}). */
export function detectionWorker(workerData: DetectionWorkerData): Worker {
  return startWorker(import.meta.url, "detection-worker", { workerData, resourceLimits: WORKER_LIMITS });
}
