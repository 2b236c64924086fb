import { type CreateTableBuilder, type Kysely, type RawBuilder, sql } from "kysely";
import type { DatabaseEngine } from "../opened-database.js";

// Shared by frozen migrations: never change what these do; add a new helper instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any schema
type AnyKysely = Kysely<any>;

/** An autoincrementing integer primary key `id` (SQLite `autoincrement`, PostgreSQL identity). */
export function addIdColumn<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  engine: DatabaseEngine,
): CreateTableBuilder<TB, C | "id"> {
  return table.addColumn("id", "integer", (col) =>
    engine === "postgres"
      ? col.primaryKey().generatedByDefaultAsIdentity()
      : col.primaryKey().autoIncrement(),
  );
}

/** A column default of the current time as ISO-8601 UTC text with milliseconds, like `toISOString()`. */
export function isoNow(engine: DatabaseEngine): RawBuilder<string> {
  return engine === "postgres"
    ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
    : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}

/** The columns of a table in the current schema; empty when there is no such table. */
export async function columnNames(
  db: AnyKysely,
  engine: DatabaseEngine,
  table: string,
): Promise<Set<string>> {
  const { rows } =
    engine === "postgres"
      ? await sql<{ name: string }>`
          select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(db)
      : await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
  return new Set(rows.map((row) => row.name));
}

/** Whether a table or view of that name exists in the current schema. */
export async function tableExists(db: AnyKysely, engine: DatabaseEngine, table: string): Promise<boolean> {
  const { rows } =
    engine === "postgres"
      ? await sql`
          select 1 from information_schema.tables
          where table_schema = current_schema() and table_name = ${table}`.execute(db)
      : await sql`select 1 from sqlite_master where type in ('table', 'view') and name = ${table}`.execute(
          db,
        );
  return rows.length > 0;
}

/**
 * Renames a table that some other tool created under a name this schema needs (ADW-era
 * `operation_patterns`, `pattern_occurrences`, …) to `<name>_legacy` (or `_legacy_2`, …), so that its rows
 * and columns survive and the new table gets every constraint. Pattern data is derived: backfill rebuilds it
 * from `workflow_history`.
 */
export async function setAsideExistingTable(
  db: AnyKysely,
  engine: DatabaseEngine,
  table: string,
): Promise<void> {
  if (!(await tableExists(db, engine, table))) return;
  let legacy = `${table}_legacy`;
  for (let n = 2; await tableExists(db, engine, legacy); n++) legacy = `${table}_legacy_${n}`;
  await db.schema.alterTable(table).renameTo(legacy).execute();
}
