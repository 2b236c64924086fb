import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

/** Write-ahead log a bulk load lets grow before a commit checkpoints it: 64 MB of 4 KB pages. */
const BULK_CHECKPOINT_PAGES = 16_384;

/**
 * Runs `load`, a series of large write transactions (a history loaded batch by batch), with SQLite's
 * checkpoints made once every 64 MB of write-ahead log instead of every 4 MB. A batch of a few hundred runs
 * writes more than 4 MB, so every commit checkpointed, and each checkpoint syncs the file: a third of the
 * time of storing the batches. Checkpoints decide only when the log is copied into the database, never
 * what a commit makes durable, so a load killed at any point leaves what it committed, as before. The
 * connection's own setting is put back afterwards. On PostgreSQL, the runs' tables then have their planner
 * statistics refreshed (`Engine.refreshStatistics`), so that the backfill that reads them next is not
 * planned as if they were still empty.
 */
export async function loadInBulk<T>(db: Kysely<Database>, load: () => Promise<T>): Promise<T> {
  const engine = engineFor(db);
  const before = await engine.setCheckpointPages(db, BULK_CHECKPOINT_PAGES);
  let result: T;
  try {
    result = await load();
  } catch (error) {
    // The load's own error says what went wrong; one from putting the setting back would hide it.
    if (before !== undefined) await engine.setCheckpointPages(db, before).catch(() => undefined);
    throw error;
  }
  if (before !== undefined) await engine.setCheckpointPages(db, before);
  await engine.refreshStatistics(db, ["workflow_history", "workflow_tool_calls"]);
  return result;
}
