// The worker thread of a WAL checkpointer (see wal-checkpointer.ts): checkpoints the file it is given at a
// fixed interval until told to stop, then closes its connection and ends.
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import { errorCode, errorMessage } from "../error-code.js";
import type { CheckpointFailure, CheckpointWorkerData } from "./wal-checkpointer.js";

const { path, intervalMs } = workerData as CheckpointWorkerData;
const port = parentPort;
if (port === null) throw new Error("checkpoint-worker.ts runs as a worker thread");

// No busy timeout: a passive checkpoint that finds another one running gives up, and the next one follows.
const database = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
database.pragma("synchronous = NORMAL");
const checkpoint = database.prepare("pragma wal_checkpoint(PASSIVE)");

const stop = () => {
  clearInterval(timer);
  database.close();
  port.close();
};

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch (error) {
    if (errorCode(error) === "SQLITE_BUSY") return;
    // A better-sqlite3 error does not survive the thread boundary (it arrives as a plain object, its
    // message and code lost): send what the other side needs to rebuild it.
    const failure: CheckpointFailure = { message: errorMessage(error), code: errorCode(error) };
    port.postMessage(failure);
    stop();
  }
}, intervalMs);

port.on("message", (message: unknown) => {
  if (message === "stop") stop();
});
