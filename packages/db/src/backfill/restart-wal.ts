import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** Pages in the write-ahead log past which {@link restartLargeWal} starts it over: 64 MB of 4 KB pages. */
const WAL_RESTART_PAGES = 16_384;

/**
 * SQLite: starts the write-ahead log over once it holds more than 16,384 pages. While the detection worker
 * reads, the checkpoint after a commit almost never finds the log free of readers (the worker is reading
 * the next batch), so it copies what it can but never starts the log over, and the `-wal` file would grow
 * to the size of everything the backfill writes. A `RESTART` checkpoint waits (within the busy timeout)
 * for the worker's current read to end, then the next commit writes from the start of the file again.
 * Returns whether the log was started over.
 */
export async function restartLargeWal(db: Kysely<Database>): Promise<boolean> {
  // A passive checkpoint copies what it can (as the one after each commit does) and tells the log's size.
  const passive = await sql<{ log: number }>`pragma wal_checkpoint(PASSIVE)`.execute(db);
  if ((passive.rows[0]?.log ?? 0) < WAL_RESTART_PAGES) return false;
  const restart = await sql<{ busy: number }>`pragma wal_checkpoint(RESTART)`.execute(db);
  return restart.rows[0]?.busy === 0;
}
