import type { PatternloopDatabase } from "../create-database.js";
import { engineFor } from "../engine/engine-for.js";

/**
 * Whether the disk holding the database has room for a write: false only for an SQLite file whose file
 * system has (almost) no space left. A write probe cannot tell this by itself, since its tiny commit fits
 * in the log pages SQLite reuses on a full disk. True when it cannot be told from here (a PostgreSQL
 * server's disk, an in-memory database).
 */
export function hasRoomToWrite(database: PatternloopDatabase): boolean {
  return engineFor(database.db).hasRoomToWrite(database.url);
}
