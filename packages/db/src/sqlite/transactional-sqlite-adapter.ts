import { SqliteAdapter } from "kysely";

/**
 * Kysely's SQLite adapter, declaring what SQLite does support: DDL inside a transaction. Kysely's
 * `Migrator` then runs all pending migrations in one transaction (begun IMMEDIATE by
 * {@link ImmediateSqliteDriver}), so a failed migration leaves no half-built schema and two processes opening
 * one new file migrate it one after the other.
 */
export class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
