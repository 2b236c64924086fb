import { CompiledQuery, type DatabaseConnection, SqliteDriver, type TransactionSettings } from "kysely";

/**
 * Kysely's better-sqlite3 driver, except that `db.transaction()` starts with `BEGIN IMMEDIATE`.
 *
 * A plain (deferred) `BEGIN` takes the write lock only at the first write. When two processes write one
 * file, the second one's read-to-write upgrade then fails at once with `SQLITE_BUSY`, which `busy_timeout`
 * does not cover. Taking the write lock up front makes the other writer wait (within `busy_timeout`)
 * instead. A transaction marked `setAccessMode("read only")` still begins deferred, so readers never queue
 * behind writers.
 */
export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const mode = settings?.accessMode === "read only" ? "deferred" : "immediate";
    await connection.executeQuery(CompiledQuery.raw(`begin ${mode}`));
  }
}
