/**
 * A shorter wait for another process's write lock, for tests that hold one: each wait that runs out then
 * takes a fraction of a second instead of the default 10 s.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** Sets the SQLite busy timeout of the connection behind `db` to `ms` milliseconds. */
export async function setBusyTimeout(db: Kysely<Database>, ms: number): Promise<void> {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`not a busy timeout: ${ms}`);
  await sql.raw(`pragma busy_timeout = ${ms}`).execute(db);
}
