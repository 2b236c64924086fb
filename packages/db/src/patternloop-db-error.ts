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
 * - `unreachable`: PostgreSQL refused the connection, the login, or the database name.
 * - `open_failed`: the database could not be opened for another reason (permissions, locked file, …).
 * - `migration_failed`: a schema migration failed; it was rolled back.
 * - `needs_upgrade`: `migrate: false` was set and the database is not on the latest schema yet.
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
  | "needs_upgrade";

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
