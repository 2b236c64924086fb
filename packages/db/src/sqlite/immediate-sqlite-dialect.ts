import { type DialectAdapter, type Driver, SqliteDialect, type SqliteDialectConfig } from "kysely";
import { ImmediateSqliteDriver, type TransactionAwareSqliteDatabase } from "./immediate-sqlite-driver.js";
import { TransactionalSqliteAdapter } from "./transactional-sqlite-adapter.js";
import type { LockWait } from "./wait-for-lock.js";

/** Options of {@link ImmediateSqliteDialect}: kysely's, with a better-sqlite3 database. */
export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  readonly database: TransactionAwareSqliteDatabase | (() => Promise<TransactionAwareSqliteDatabase>);
  /** How error messages name the database, e.g. `sqlite:/data/history.db`. */
  readonly url?: string;
  /** How to wait for another process's write lock (default `blocking`, SQLite's busy timeout). */
  readonly lockWait?: LockWait;
}

/**
 * Kysely's `SqliteDialect` with write transactions that begin `IMMEDIATE` and storage failures as typed
 * errors ({@link ImmediateSqliteDriver}), and transactional migrations ({@link TransactionalSqliteAdapter}).
 *
 * @example new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: new BetterSqlite3("h.db") }) })
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ImmediateSqliteDialectConfig;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#config = Object.freeze({ ...config });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
