import { errorMessage } from "./error-code.js";
import { PatternloopDbError, type PatternloopDbErrorCode } from "./patternloop-db-error.js";

/** The storage failures a query can meet, as {@link PatternloopDbError} codes. */
export type StorageFailure = Extract<
  PatternloopDbErrorCode,
  "busy" | "disk_full" | "read_only" | "io_error" | "corrupt" | "open_failed" | "unreachable"
>;

/** Turns a driver's error into a typed error, or says it is something else (undefined). */
export type StorageErrorOf = (error: unknown) => PatternloopDbError | undefined;

/**
 * The one-line {@link PatternloopDbError} of a storage failure met on the database at `url`, keeping the
 * driver's error as its `cause` and its message in brackets. `wait` says how long a busy database was
 * waited for.
 *
 * @example storageError("disk_full", "sqlite:/data/h.db", cause)
 * // cannot write sqlite:/data/h.db: the disk is full (database or disk is full)
 */
export function storageError(
  failure: StorageFailure,
  url: string,
  cause: unknown,
  wait?: string,
): PatternloopDbError {
  const reason = errorMessage(cause);
  const message: Record<StorageFailure, string> = {
    busy: `database is busy: another process holds its write lock (${url}${wait === undefined ? "" : `, waited ${wait}`}: ${reason}); try again once it is done`,
    disk_full: `cannot write ${url}: the disk is full (${reason})`,
    read_only: `cannot write ${url}: it is read-only (${reason})`,
    io_error: `cannot read or write ${url}: the operating system reported an I/O error (${reason})`,
    corrupt: `${url} is damaged (${reason})`,
    open_failed: `cannot open ${url} or one of its files (${reason})`,
    unreachable: `lost the connection to ${url} (${reason})`,
  };
  return new PatternloopDbError(failure, message[failure], { cause });
}
