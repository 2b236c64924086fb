/**
 * Machine-readable reasons {@link PatternloopDbError} is thrown.
 *
 * - `unknown_scheme`: the URL names an engine other than SQLite or PostgreSQL (`mysql://…`).
 * - `invalid_url`: the URL is malformed, or its `schema` parameter is not a plain identifier; for PostgreSQL
 *   also a parameter `pg` would misread (`?port=abc`), a certificate file it cannot read, a `PGPORT` that is no port.
 * - `file_missing`: the SQLite file (or its directory) does not exist and `create` was not set.
 * - `not_sqlite`: the path exists but is not an SQLite database (checked without modifying it).
 * - `schema_missing`: the PostgreSQL schema named by `?schema=` does not exist and `create` was not set.
 * - `missing_workflow_history`: `requireHistory` was set and the database has no `workflow_history` table.
 * - `unreachable`: PostgreSQL refused the connection, the login, or the database name, or the connection was
 *   lost while in use.
 * - `open_failed`: the database could not be opened for another reason (permissions, locked file, …), or
 *   SQLite could not open one of its files (`-wal`, `-shm`, a temporary file) while in use.
 * - `migration_failed`: a schema migration failed; it was rolled back.
 * - `needs_upgrade`: `migrate: false` was set and the database is not on the latest schema yet.
 *
 * Failures of the storage while a query runs (see {@link isStorageFailure}); the statement or transaction
 * that met one was rolled back:
 * - `busy`: another process held the write lock past the wait (SQLite's busy timeout; PostgreSQL's
 *   `lock_timeout` when one is set).
 * - `disk_full`: the disk (or the file's size limit) is full.
 * - `read_only`: the file, its directory or the server accepts no writes.
 * - `io_error`: the operating system reported an I/O error.
 * - `corrupt`: the database file (or a PostgreSQL page) is damaged.
 */
export type PatternloopDbErrorCode =
  | "unknown_scheme"
  | "invalid_url"
  | "file_missing"
  | "not_sqlite"
  | "schema_missing"
  | "missing_workflow_history"
  | "unreachable"
  | "open_failed"
  | "migration_failed"
  | "needs_upgrade"
  | "busy"
  | "disk_full"
  | "read_only"
  | "io_error"
  | "corrupt";

/**
 * The one error class `@patternloop/db` throws on purpose. `message` is a single line naming the problem
 * and the path or (password-redacted) URL; `code` is for programs; `cause` holds the driver's error.
 *
 * @example
 * try {
 *   await createDatabase("history.db");
 * } catch (error) {
 *   if (error instanceof PatternloopDbError && error.code === "file_missing") console.error(error.message);
 *   else throw error;
 * }
 */
export class PatternloopDbError extends Error {
  override readonly name = "PatternloopDbError";
  readonly code: PatternloopDbErrorCode;

  constructor(code: PatternloopDbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const STORAGE_FAILURES: ReadonlySet<PatternloopDbErrorCode> = new Set([
  "busy",
  "disk_full",
  "read_only",
  "io_error",
  "corrupt",
  "open_failed",
  "unreachable",
]);

/**
 * Whether `error` says the database as a whole does not work right now (busy, full, read-only, damaged,
 * unreachable), as opposed to a problem with the data a statement was given. Retrying the items of a
 * failed batch one by one cannot help then: each would meet the same failure.
 */
export function isStorageFailure(error: unknown): error is PatternloopDbError {
  return error instanceof PatternloopDbError && STORAGE_FAILURES.has(error.code);
}
