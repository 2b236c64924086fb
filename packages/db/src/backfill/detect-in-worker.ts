import { Worker } from "node:worker_threads";
import type { DetectedBatch } from "./detected-batch.js";

/** What the detection worker starts with. */
export interface DetectionWorkerData {
  /** The SQLite file, opened read-only by the worker. */
  path: string;
}

/** The worker's answer to one batch of row ids. */
export type DetectionReply = { batch: DetectedBatch } | { failure: unknown };

/**
 * Batches asked of the worker beyond the one being written: enough that it never waits for the writer,
 * few enough that the batches waiting in memory stay a handful.
 */
const AHEAD = 2;

/**
 * The queue's batches detected by a worker thread ({@link detectionWorker}) while the caller writes the
 * previous ones: the reads of runs and tool calls and the detection run on a second core. Batches come in
 * queue order, as {@link detectInProcess} gives them. The worker reads through a read-only connection of
 * its own, which WAL lets read beside the writer; it reads only the runs and their tool calls, which a
 * backfill does not change (the processed markers it sets are not read). Stopped when iteration ends,
 * however it ends.
 */
export async function* detectInWorker(
  path: string,
  queue: readonly number[],
  batchSize: number,
): AsyncGenerator<DetectedBatch> {
  const worker = detectionWorker({ path });
  const waiting: { resolve(reply: DetectionReply): void; reject(error: unknown): void }[] = [];
  let stopped: unknown;
  const stop = (error: unknown) => {
    stopped ??= error;
    for (const reply of waiting.splice(0)) reply.reject(stopped);
  };
  worker.on("message", (reply: DetectionReply) => waiting.shift()?.resolve(reply));
  worker.on("error", stop);
  worker.on("exit", (code) => stop(new Error(`the backfill's detection worker exited (code ${code})`)));
  const ask = (ids: number[]): Promise<DetectionReply> => {
    if (stopped !== undefined) return Promise.reject(stopped);
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
        asked.push(ask(queue.slice(next, next + batchSize)));
      const reply = await (asked.shift() as Promise<DetectionReply>);
      if ("failure" in reply) throw reply.failure;
      yield reply.batch;
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Starts `detection-worker.js`. From the TypeScript sources (this package's own tests) Node cannot load the
 * `.ts` entry by itself: the worker first registers the test suite's TypeScript hooks.
 */
function detectionWorker(workerData: DetectionWorkerData): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./detection-worker.js", import.meta.url), { workerData });
  const hooks = new URL("../test-support/ts-loader-hooks.mjs", import.meta.url).href;
  const entry = new URL("./detection-worker.ts", import.meta.url).href;
  return new Worker(
    `import("node:module").then((m) => m.register(${JSON.stringify(hooks)})).then(() => import(${JSON.stringify(entry)}))`,
    { eval: true, workerData },
  );
}
