import { errorCode } from "../error-code.js";
import type { PatternloopDbError } from "../patternloop-db-error.js";
import { type StorageFailure, storageError } from "../storage-error.js";

/** SQLite's primary result codes that say the storage failed, not the statement's data. */
const FAILURES: Readonly<Record<string, StorageFailure>> = {
  SQLITE_BUSY: "busy",
  SQLITE_LOCKED: "busy",
  SQLITE_FULL: "disk_full",
  SQLITE_READONLY: "read_only",
  SQLITE_IOERR: "io_error",
  SQLITE_CORRUPT: "corrupt",
  SQLITE_NOTADB: "corrupt",
  SQLITE_CANTOPEN: "open_failed",
};

/** What {@link sqliteStorageError} may ask about the connection, only when it needs to. */
export interface SqliteErrorContext {
  /** The connection's busy timeout, to say how long a busy database was waited for. */
  busyTimeoutMs(): number | undefined;
  /** Whether the file system of the database has (almost) no room left. */
  diskFull(): boolean;
}

/**
 * The typed error of a better-sqlite3 error that says the file cannot be used right now (`SQLITE_BUSY`,
 * `SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`, …: extended codes count as their primary code), or undefined
 * for any other error (a constraint, a type mismatch), which stays as it is. A full disk does not always
 * come as `SQLITE_FULL`: growing the `-shm` file fails as `SQLITE_IOERR_SHMSIZE`, so an I/O error on a
 * file system without room is reported as the full disk it is.
 */
export function sqliteStorageError(
  error: unknown,
  url: string,
  context: SqliteErrorContext,
): PatternloopDbError | undefined {
  const code = errorCode(error);
  if (code === undefined || !code.startsWith("SQLITE_")) return undefined;
  const primary = code.split("_", 2).join("_");
  let failure = FAILURES[primary];
  if (failure === undefined) return undefined;
  if (failure === "io_error" && context.diskFull()) failure = "disk_full";
  const waited = failure === "busy" ? context.busyTimeoutMs() : undefined;
  return storageError(failure, url, error, waited === undefined ? undefined : `${waited / 1000} s`);
}
