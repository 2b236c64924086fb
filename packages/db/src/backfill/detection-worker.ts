// The worker thread of a SQLite backfill (see detect-in-worker.ts): reads the runs of each batch of row ids
// it is sent through a read-only connection of its own, detects their patterns and posts the prepared
// occurrences back, one message per batch, in the order asked.
import { parentPort, workerData } from "node:worker_threads";
import { createDetector } from "@patternloop/core";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { PackedRun } from "../runs/calls-json.js";
import {
  decodeQueuedRuns,
  loadQueuedRuns,
  type QueuedRun,
  queuedRunsQuery,
} from "../runs/load-queued-runs.js";
import type { Database } from "../schema/database.js";
import { SQLITE_BUSY_TIMEOUT_MS } from "../sqlite/open-sqlite.js";
import type { DetectionReply, DetectionWorkerData } from "./detect-in-worker.js";
import { type DetectedBatch, detectBatch } from "./detected-batch.js";

const { path } = workerData as DetectionWorkerData;
const port = parentPort;
if (port === null) throw new Error("detection-worker.ts runs as a worker thread");

const database = new BetterSqlite3(path, {
  readonly: true,
  fileMustExist: true,
  timeout: SQLITE_BUSY_TIMEOUT_MS,
});
// The reads walk runs and their calls in order: a small page cache does (better-sqlite3's default is 16 MB).
database.pragma("cache_size = -4000");
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
const detect = createDetector();
// One statement for every batch, stepped row by row: a run's row and its decoded calls are garbage as soon
// as the run is detected, where reading the whole batch first kept them alive through collections.
const queued = database.prepare<[string], PackedRun>(queuedRunsQuery([], "detection").compile(db).sql);
const readQueued = (ids: readonly number[]): Iterable<QueuedRun> =>
  decodeQueuedRuns(queued.iterate(JSON.stringify(ids)), ids, "detection");

async function detectIds(ids: readonly number[]): Promise<DetectedBatch> {
  try {
    return detectBatch(readQueued(ids), detect);
  } catch {
    // Runs out of order, or a value the JSON of the calls cannot hold: the general read (detection is pure,
    // so the batch is simply done again).
    return detectBatch(await loadQueuedRuns(db, ids, "detection"), detect);
  }
}

// Batches are handled one after the other, in the order they come.
let previous = Promise.resolve();
port.on("message", (ids: number[]) => {
  previous = previous.then(async () => {
    let reply: DetectionReply;
    try {
      reply = { batch: await detectIds(ids) };
    } catch (error) {
      reply = { failure: error instanceof Error ? error : String(error) };
    }
    port.postMessage(reply);
  });
});
