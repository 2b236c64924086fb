import type { Worker } from "node:worker_threads";
import { errorCode, errorMessage } from "../error-code.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import { startWorker } from "../start-worker.js";
import { hasLittleRoom } from "./little-room.js";
import { readOnlyCause } from "./read-only-cause.js";
import { sqliteStorageError } from "./sqlite-storage-error.js";

/** What the checkpoint worker starts with. */
export interface CheckpointWorkerData {
  /** The SQLite file, in WAL mode. */
  path: string;
  intervalMs: number;
}

/** Why a checkpoint failed, as the worker sends it: an error's message and code, which cross threads. */
export interface CheckpointFailure {
  message: string;
  code: string | undefined;
}

/** Options of {@link startWalCheckpointer}. */
export interface WalCheckpointerOptions {
  /** Time between two checkpoints; default {@link DEFAULT_CHECKPOINT_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /**
   * Told why the worker stopped checkpointing (it could not open the file, a checkpoint failed with
   * something other than a busy lock, or it ran out of memory). The writer's own checkpoints take over.
   */
  readonly onError?: (error: Error) => void;
}

/** At 2,500 completions/s a checkpoint every 20 ms copies about 100 pages and takes the worker 1 to 3 ms. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 20;

/** A checkpoint copies pages; it does not need the 16 MB page cache or a large heap. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 16 };

/** A running {@link startWalCheckpointer}. */
export interface WalCheckpointer {
  /** Ends the worker after its current checkpoint and closes its connection. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Copies an SQLite file's write-ahead log back into the database from a worker thread, every
 * `intervalMs`, with `PASSIVE` checkpoints (which never wait for, nor block, the writer).
 *
 * A connection checkpoints by itself after the commit that takes its log past 1,000 pages: the copy of
 * those pages and the `fsync` then run inside that commit, on the writer's thread. For a server, whose
 * thread also answers requests, that is a stall of 10 to 25 ms every few hundred completions, the largest
 * share of its p99 latency. Checkpointed from here in small steps, the log is started over by the writer
 * long before it reaches 1,000 pages, so the writer's own checkpoint stays as a fallback only: should the
 * worker stop, nothing changes but the latency.
 */
export function startWalCheckpointer(path: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
  const intervalMs = options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1)
    throw new RangeError(`intervalMs must be a whole number of milliseconds ≥ 1, not ${intervalMs}`);
  let stopping = false;
  const worker = checkpointWorker({ path, intervalMs });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const report = (failure: unknown) => {
    if (!stopping) options.onError?.(toCheckpointError(failure, path));
  };
  worker.on("error", report);
  worker.on("message", report);
  worker.unref();
  return {
    async stop() {
      stopping = true;
      // Unreferenced while it runs, so that it never holds a process open; not while this waits for it.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}

/**
 * The error of a failed checkpoint, one line: a storage failure (a read-only file, a full disk) as the
 * typed error that names it, anything else as an Error with the worker's message and code. A file that
 * can only be read fails its checkpoint as a mere "disk I/O error": the file system is asked why.
 */
function toCheckpointError(failure: unknown, path: string): Error {
  const message = failure instanceof Error ? errorMessage(failure) : (failure as CheckpointFailure).message;
  const rebuilt = Object.assign(new Error(message || "the checkpoint failed"), { code: errorCode(failure) });
  const storage = sqliteStorageError(rebuilt, path, {
    busyTimeoutMs: () => undefined,
    diskFull: () => hasLittleRoom(path),
  });
  const readOnly = storage === undefined || storage.code === "disk_full" ? undefined : readOnlyCause(path);
  if (readOnly !== undefined)
    return new PatternloopDbError("read_only", `cannot write ${path}: ${readOnly} (${rebuilt.message})`, {
      cause: rebuilt,
    });
  return storage ?? rebuilt;
}

/** Starts `checkpoint-worker.js` (see {@link startWorker}). */
function checkpointWorker(workerData: CheckpointWorkerData): Worker {
  return startWorker(import.meta.url, "checkpoint-worker", { workerData, resourceLimits: WORKER_LIMITS });
}
