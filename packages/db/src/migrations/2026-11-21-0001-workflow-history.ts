import { type Kysely, sql } from "kysely";
import type { Engine } from "../engine/engine.js";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, columnNames, isoNow } from "./migration-helpers.js";

/**
 * `workflow_history`. A fresh database gets the full table. An existing one (an ADW history database) is
 * upgraded in place: only missing columns are added, `workflow_id` is filled from `adw_id` and
 * `workflow_time` from the run's times, and a unique index on `workflow_id` is created; every row and every
 * column the table already had survives.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  const existing = await columnNames(db, engine, "workflow_history");
  if (existing.size === 0) await create(db, engine);
  else await adopt(db, engine, existing);
  await db.schema
    .createIndex("workflow_history_status_idx")
    .ifNotExists()
    .on("workflow_history")
    .column("status")
    .execute();
  await db.schema
    .createIndex("workflow_history_workflow_time_idx")
    .ifNotExists()
    .on("workflow_history")
    .column("workflow_time")
    .execute();
}

/** Columns as an adopted table receives them: nullable, unconstrained, with the fresh table's defaults. */
const COLUMNS = [
  ["workflow_id", "text"],
  ["adw_id", "text"],
  ["nl_input", "text"],
  ["workflow_template", "text"],
  ["status", "text"],
  ["start_time", "text"],
  ["end_time", "text"],
  ["duration_seconds", "double precision"],
  ["error_message", "text"],
  ["retry_count", "integer", 0],
  ["input_tokens", "bigint"],
  ["output_tokens", "bigint"],
  ["cache_read_tokens", "bigint"],
  ["cache_creation_tokens", "bigint"],
  ["total_tokens", "bigint"],
  ["actual_cost_total", "double precision"],
  ["model_used", "text"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["workflow_time", "text"],
  ["patterns_processed_at", "text"],
] as const;

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function create(db: Kysely<any>, engine: Engine): Promise<void> {
  await addIdColumn(db.schema.createTable("workflow_history"), engine)
    .addColumn("workflow_id", "text", (col) => col.notNull().unique())
    .addColumn("adw_id", "text", (col) => col.notNull().unique())
    .addColumn("nl_input", "text")
    .addColumn("workflow_template", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("start_time", "text")
    .addColumn("end_time", "text")
    .addColumn("duration_seconds", "double precision")
    .addColumn("error_message", "text")
    .addColumn("retry_count", "integer", (col) => col.defaultTo(0))
    .addColumn("input_tokens", "bigint")
    .addColumn("output_tokens", "bigint")
    .addColumn("cache_read_tokens", "bigint")
    .addColumn("cache_creation_tokens", "bigint")
    .addColumn("total_tokens", "bigint")
    .addColumn("actual_cost_total", "double precision")
    .addColumn("model_used", "text")
    .addColumn("created_at", "text", (col) => col.defaultTo(isoNow(engine)))
    .addColumn("updated_at", "text", (col) => col.defaultTo(isoNow(engine)))
    .addColumn("workflow_time", "text")
    .addColumn("patterns_processed_at", "text")
    .addCheckConstraint(
      "workflow_history_status_check",
      sql`status in ('pending', 'running', 'completed', 'failed')`,
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function adopt(db: Kysely<any>, engine: Engine, existing: Set<string>): Promise<void> {
  if (!existing.has("id")) {
    throw new Error("the existing workflow_history table has no id column, so it cannot be adopted");
  }
  for (const [name, type, initial] of COLUMNS) {
    if (existing.has(name)) continue;
    await db.schema
      .alterTable("workflow_history")
      .addColumn(name, type, (col) => (initial === undefined ? col : col.defaultTo(initial)))
      .execute();
  }
  await sql`update workflow_history set workflow_id = adw_id where workflow_id is null or workflow_id = ''`.execute(
    db,
  );
  await sql`update workflow_history set adw_id = workflow_id where adw_id is null`.execute(db);
  await sql`update workflow_history set workflow_time = ${workflowTime(engine)} where workflow_time is null`.execute(
    db,
  );
  await db.schema
    .createIndex("workflow_history_workflow_id_key")
    .ifNotExists()
    .unique()
    .on("workflow_history")
    .column("workflow_id")
    .execute();
  // The tool that owns the table (ADW) keeps inserting rows that only carry adw_id; fill them in.
  await engine.fillIdsOfAdoptedInserts(db, workflowTime(engine));
}

/**
 * `start_time ?? end_time ?? created_at`, normalized by the engine (on SQLite to ISO-8601 UTC when it parses
 * as a time: ADW writes `created_at` as `YYYY-MM-DD HH:MM:SS`).
 */
function workflowTime(engine: Engine) {
  return engine.normalizedTime(sql`coalesce(start_time, end_time, created_at)`);
}
