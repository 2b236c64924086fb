import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, isoNow, setAsideExistingTable } from "./migration-helpers.js";

/** `pattern_occurrences`: at most one row per (pattern, workflow); removed with either. */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "pattern_occurrences");
  await addIdColumn(db.schema.createTable("pattern_occurrences"), engine)
    .addColumn("pattern_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("workflow_id", "text", (col) =>
      col.notNull().references("workflow_history.workflow_id").onDelete("cascade"),
    )
    .addColumn("workflow_time", "text")
    .addColumn("tokens_attributed", "bigint")
    .addColumn("cost_attributed", "double precision")
    .addColumn("attribution", "text")
    .addColumn("evidence", "text")
    .addColumn("detected_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addUniqueConstraint("pattern_occurrences_pattern_id_workflow_id_key", ["pattern_id", "workflow_id"])
    .addCheckConstraint("pattern_occurrences_attribution_check", sql`attribution in ('share', 'tool_calls')`)
    .execute();
  await db.schema
    .createIndex("pattern_occurrences_workflow_id_idx")
    .on("pattern_occurrences")
    .column("workflow_id")
    .execute();
}
