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

/**
 * The typed error of a better-sqlite3 error that says the file cannot be used right now (`SQLITE_BUSY`,
 * `SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`, …: extended codes count as their primary code), or undefined
 * for any other error (a constraint, a type mismatch), which stays as it is.
 */
export function sqliteStorageError(
  error: unknown,
  url: string,
  busyTimeoutMs: () => number | undefined,
): PatternloopDbError | undefined {
  const code = errorCode(error);
  if (code === undefined || !code.startsWith("SQLITE_")) return undefined;
  const primary = code.split("_", 2).join("_");
  const failure = FAILURES[primary];
  if (failure === undefined) return undefined;
  const waited = failure === "busy" ? busyTimeoutMs() : undefined;
  return storageError(failure, url, error, waited === undefined ? undefined : `${waited / 1000} s`);
}
