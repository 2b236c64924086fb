import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, isoNow, setAsideExistingTable } from "./migration-helpers.js";

/**
 * `operation_patterns`: one row per signature with its published statistics and the running sums they are
 * derived from (so one more occurrence never needs a rescan).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "operation_patterns");
  await addIdColumn(db.schema.createTable("operation_patterns"), engine)
    .addColumn("pattern_signature", "text", (col) => col.notNull().unique())
    .addColumn("pattern_type", "text", (col) => col.notNull())
    .addColumn("occurrence_count", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("confidence_score", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("avg_tokens_with_llm", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("avg_cost_with_llm", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("avg_tokens_with_tool", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("avg_cost_with_tool", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("potential_monthly_savings", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("automation_status", "text", (col) => col.notNull().defaultTo("detected"))
    .addColumn("typical_input_pattern", "text")
    .addColumn("prediction_accuracy", "double precision")
    .addColumn("first_seen", "text")
    .addColumn("last_seen", "text")
    .addColumn("created_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addColumn("updated_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addColumn("tokens_sum", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("tokens_sq_sum", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("tokens_n", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("cost_sum", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("cost_n", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("duration_sum", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("duration_sq_sum", "double precision", (col) => col.notNull().defaultTo(0))
    .addColumn("duration_n", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("success_count", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("error_count", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("retry_sum", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("validated_count", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("correct_count", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("characteristics_summary", "text")
    .addCheckConstraint(
      "operation_patterns_automation_status_check",
      sql`automation_status in ('detected', 'candidate', 'approved', 'implemented', 'active', 'deprecated')`,
    )
    .addCheckConstraint("operation_patterns_confidence_score_check", sql`confidence_score between 0 and 100`)
    .addCheckConstraint(
      "operation_patterns_prediction_accuracy_check",
      sql`prediction_accuracy between 0 and 1`,
    )
    .execute();
  await db.schema
    .createIndex("operation_patterns_automation_status_idx")
    .on("operation_patterns")
    .column("automation_status")
    .execute();
}
