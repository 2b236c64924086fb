import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type IngestErrorCode, PatternloopIngestError } from "../ingest-error.js";
import { readWorkflowRecords } from "./read-workflow-records.js";
import { type RunLine, toRunLine } from "./run-line.js";

/** Where {@link readWorkflowRuns} reads: a worker thread beside the caller's, or the caller's own. */
export type ReadThread = "worker" | "caller";

/**
 * From this size a file is read in a worker thread: parsing and checking the JSON and building the rows take
 * about as long as storing them, and on a second core the two overlap. A smaller file would not repay the
 * worker's start (a few hundred milliseconds to load its modules).
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** What the worker starts with. */
export interface ReadRunsWorkerData {
  file: string;
  /** Lines a message. */
  chunkLines: number;
  /** Messages the worker may send ahead of the one being stored. */
  ahead: number;
}

/** A message of the worker: the next lines, or why it could not read on. */
export type ReadRunsMessage =
  | { lines: RunLine[]; done: boolean }
  | { failure: { name: string; message: string; code: string | undefined } };

/**
 * Lines a message. A small chunk is sent before its rows outlive the worker's young generation: chunks of
 * 500 lines were promoted and collected again, and cost the load about 15% more processor time than chunks of 100.
 */
const CHUNK_LINES = 100;

/**
 * The worker's heap. Unbounded, V8 let it grow to well over 100 MB of mostly garbage before collecting it;
 * a chunk needs a few megabytes.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };
/** Chunks read ahead of the one being stored: about one batch (500 lines, some 5 MB of rows). */
const AHEAD = 4;

/**
 * The lines of a JSON Lines history (see `readWorkflowRecords`), each run with its rows built: read in a
 * worker thread for a file of {@link WORKER_MIN_BYTES} or more unless `thread` says where, in the caller's
 * for standard input. The lines come in order either way, the same lines.
 */
export function readWorkflowRuns(file: string | undefined, thread?: ReadThread): AsyncGenerator<RunLine> {
  const fromFile = file !== undefined && file !== "-";
  const where = !fromFile ? "caller" : (thread ?? (sizeOf(file) >= WORKER_MIN_BYTES ? "worker" : "caller"));
  return where === "worker" && fromFile ? readInWorker(file) : readInCaller(file);
}

async function* readInCaller(file: string | undefined): AsyncGenerator<RunLine> {
  for await (const line of readWorkflowRecords(file)) yield toRunLine(line);
}

async function* readInWorker(file: string): AsyncGenerator<RunLine> {
  const messages: ReadRunsMessage[] = [];
  let stopped: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const worker = new Worker(new URL(`./read-runs-worker.${extensionOf(import.meta.url)}`, import.meta.url), {
    workerData: { file, chunkLines: CHUNK_LINES, ahead: AHEAD } satisfies ReadRunsWorkerData,
    resourceLimits: WORKER_LIMITS,
  });
  let done = false;
  worker.on("message", (message: ReadRunsMessage) => {
    messages.push(message);
    notify();
  });
  worker.on("error", (error) => {
    stopped ??= error;
    notify();
  });
  worker.on("exit", (code) => {
    stopped ??= new Error(`the reader of ${file} stopped (exit code ${code})`);
    notify();
  });
  try {
    while (!done) {
      while (messages.length === 0 && stopped === undefined)
        await new Promise<void>((resolve) => (wake = resolve));
      const message = messages.shift();
      if (message === undefined) throw stopped;
      if ("failure" in message) throw rebuiltError(message.failure);
      done = message.done;
      // Taken: the worker may read the next chunk while these are stored.
      if (!done) worker.postMessage("more");
      yield* message.lines;
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's error as the caller's: an input error keeps its class and code, anything else its message. */
function rebuiltError(failure: { name: string; message: string; code: string | undefined }): Error {
  if (failure.name === "PatternloopIngestError")
    return new PatternloopIngestError(failure.code as IngestErrorCode, failure.message);
  return Object.assign(new Error(failure.message), { code: failure.code });
}

/** `.js` once built; from the TypeScript sources (this package's tests) `.ts`, which the test hooks load. */
function extensionOf(url: string): string {
  return url.endsWith(".ts") ? "ts" : "js";
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    // Missing: the caller's own read says so, as for any file.
    return 0;
  }
}
