import { statSync } from "node:fs";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** The size of the write-ahead log past which {@link restartLargeWal} starts it over. */
const WAL_RESTART_BYTES = 64 * 1024 * 1024;

/**
 * SQLite: starts the write-ahead log over once it has grown past 64 MB. While the detection worker reads,
 * the checkpoint after a commit almost never finds the log free of readers (the worker is reading the next
 * batch), so it copies what it can but never starts the log over, and the `-wal` file would grow to the
 * size of everything the backfill writes. A `RESTART` checkpoint waits (within the busy timeout) for the
 * worker's current read to end, then the next commit writes from the start of the file again. Returns
 * whether the log was started over.
 */
export async function restartLargeWal(db: Kysely<Database>, path: string): Promise<boolean> {
  const size = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (size < WAL_RESTART_BYTES) return false;
  const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(RESTART)`.execute(db);
  return rows[0]?.busy === 0;
}
