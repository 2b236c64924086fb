import type { CreateTableBuilder, RawBuilder } from "kysely";
import type { AnyKysely, Engine } from "../engine/engine.js";

// Shared by frozen migrations: never change what these do; add a new helper instead. What differs between
// the engines is the engine's (see engine/engine.ts), under the same rule.

/** An autoincrementing integer primary key `id` (SQLite `autoincrement`, PostgreSQL identity). */
export function addIdColumn<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  engine: Engine,
): CreateTableBuilder<TB, C | "id"> {
  return table.addColumn("id", "integer", (col) => engine.idColumn(col));
}

/** A column default of the current time as ISO-8601 UTC text with milliseconds, like `toISOString()`. */
export function isoNow(engine: Engine): RawBuilder<string> {
  return engine.isoNow();
}

/** The columns of a table in the current schema; empty when there is no such table. */
export function columnNames(db: AnyKysely, engine: Engine, table: string): Promise<Set<string>> {
  return engine.columnNames(db, table);
}

/** Whether a table or view of that name exists in the current schema. */
export function tableExists(db: AnyKysely, engine: Engine, table: string): Promise<boolean> {
  return engine.tableExists(db, table);
}

/**
 * Renames a table that some other tool created under a name this schema needs (ADW-era
 * `operation_patterns`, `pattern_occurrences`, …) to `<name>_legacy` (or `_legacy_2`, …), so that its rows
 * and columns survive and the new table gets every constraint. Pattern data is derived: backfill rebuilds it
 * from `workflow_history`.
 */
export async function setAsideExistingTable(db: AnyKysely, engine: Engine, table: string): Promise<void> {
  if (!(await tableExists(db, engine, table))) return;
  let legacy = `${table}_legacy`;
  for (let n = 2; await tableExists(db, engine, legacy); n++) legacy = `${table}_legacy_${n}`;
  await db.schema.alterTable(table).renameTo(legacy).execute();
}
