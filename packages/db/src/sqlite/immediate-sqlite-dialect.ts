import { type DialectAdapter, type Driver, SqliteDialect } from "kysely";
import type { ImmediateSqliteDialectConfig } from "./immediate-sqlite-config.js";
import { ImmediateSqliteDriver } from "./immediate-sqlite-driver.js";
import { TransactionalSqliteAdapter } from "./transactional-sqlite-adapter.js";

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
