import type { SqliteDatabase, SqliteDialectConfig } from "kysely";
import type { LockWait } from "./wait-for-lock.js";

/** better-sqlite3's `Database`, as far as this driver reads it. */
export interface TransactionAwareSqliteDatabase extends SqliteDatabase {
  /** Whether a transaction is open on the connection (better-sqlite3's `db.inTransaction`). */
  readonly inTransaction: boolean;
  /** The file's path (better-sqlite3's `db.name`). */
  readonly name: string;
  pragma(source: string, options: { simple: true }): unknown;
}

/** Options of the SQLite dialect whose write transactions begin `IMMEDIATE`: kysely's, with a better-sqlite3 database. */
export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  readonly database: TransactionAwareSqliteDatabase | (() => Promise<TransactionAwareSqliteDatabase>);
  /** How error messages name the database, e.g. `sqlite:/data/history.db`. */
  readonly url?: string;
  /** How to wait for another process's write lock (default `blocking`, SQLite's busy timeout). */
  readonly lockWait?: LockWait;
}
