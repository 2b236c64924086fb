import { Migrator, sql } from "kysely";
import { engineFor } from "./engine/engine-for.js";
import { errorMessage } from "./error-code.js";
import { migrationProvider } from "./migrations/migration-provider.js";
import type { OpenedDatabase } from "./opened-database.js";
import { isStorageFailure, PatternloopDbError } from "./patternloop-db-error.js";
import { readSchemaBefore, readSchemaUpgrade, type SchemaUpgrade } from "./schema-upgrade.js";

/**
 * Brings the schema to the latest migration.
 *
 * An up-to-date database is only read (opening it never takes a write lock). Otherwise kysely's `Migrator`
 * runs every pending migration in one transaction (PostgreSQL, and SQLite through
 * `TransactionalSqliteAdapter`) under its migration lock, its bookkeeping tables created first as the engine
 * needs (on SQLite inside a `BEGIN IMMEDIATE` transaction, so that processes opening one new file at the
 * same moment queue instead of failing with `SQLITE_BUSY`). On failure the migrations are rolled back, bookkeeping tables this
 * call created are dropped again, and `migration_failed` is thrown. Returns what the upgrade changed in
 * tables that existed before (see {@link SchemaUpgrade}), undefined when it changed none.
 */
export async function migrateToLatest(opened: OpenedDatabase): Promise<SchemaUpgrade | undefined> {
  const { db, migrationSchema } = opened;
  const migrations = Object.keys(await migrationProvider.getMigrations());
  const executed = await executedMigrations(opened);
  if (executed !== undefined && migrations.every((name) => executed.has(name))) return undefined;
  const engine = engineFor(db);
  let before: Awaited<ReturnType<typeof readSchemaBefore>>;

  try {
    before = await readSchemaBefore(db, engine, executed);
    if (executed === undefined) await engine.createMigrationTables(db);
  } catch (error) {
    throw migrationFailed(opened, "setting up migrations", error);
  }
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: migrationSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return readSchemaUpgrade(db, engine, before);

  if (executed === undefined) {
    for (const table of ["kysely_migration_lock", "kysely_migration"]) {
      const name = sql.table(migrationSchema === undefined ? table : `${migrationSchema}.${table}`);
      await sql`drop table if exists ${name}`.execute(db).catch(() => {});
    }
  }
  const failed = results?.find((result) => result.status === "Error")?.migrationName;
  throw migrationFailed(
    opened,
    failed === undefined ? "setting up migrations" : `migration ${failed}`,
    error,
  );
}

/** Whether the database is on the latest schema; reads only. */
export async function isUpToDate(opened: OpenedDatabase): Promise<boolean> {
  const migrations = Object.keys(await migrationProvider.getMigrations());
  const executed = await executedMigrations(opened);
  return executed !== undefined && migrations.every((name) => executed.has(name));
}

/** Refuses, with `needs_upgrade`, a database that is not on the latest schema; reads only. */
export async function assertUpToDate(opened: OpenedDatabase): Promise<void> {
  if (await isUpToDate(opened)) return;
  throw new PatternloopDbError(
    "needs_upgrade",
    `${opened.url} is not on patternloop's schema yet; a command that writes (ingest, backfill without --dry-run) upgrades it in place`,
  );
}

/** The names in kysely's migration table; undefined when there is no such table yet. */
async function executedMigrations({ db, migrationSchema }: OpenedDatabase): Promise<Set<string> | undefined> {
  if (!(await engineFor(db).hasMigrationTable(db, migrationSchema))) return undefined;
  const table = sql.table(
    migrationSchema === undefined ? "kysely_migration" : `${migrationSchema}.kysely_migration`,
  );
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
  return new Set(rows.map((row) => row.name));
}

function migrationFailed(opened: OpenedDatabase, step: string, error: unknown): PatternloopDbError {
  // A busy, full or read-only database is what the caller must hear about, not the migration it stopped.
  if (isStorageFailure(error)) return error;
  return new PatternloopDbError(
    "migration_failed",
    `cannot migrate ${opened.url}: ${step} failed: ${errorMessage(error)}`,
    {
      cause: error,
    },
  );
}
