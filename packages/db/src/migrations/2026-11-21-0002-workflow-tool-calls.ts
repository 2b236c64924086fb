import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, setAsideExistingTable } from "./migration-helpers.js";

/** `workflow_tool_calls`: the tool calls of each run, in order, unique per (run, seq) and (run, tool_use_id). */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "workflow_tool_calls");
  await addIdColumn(db.schema.createTable("workflow_tool_calls"), engine)
    .addColumn("workflow_id", "text", (col) =>
      col.notNull().references("workflow_history.workflow_id").onDelete("cascade"),
    )
    .addColumn("seq", "integer", (col) => col.notNull())
    .addColumn("tool_name", "text", (col) => col.notNull())
    .addColumn("tool_input", "text")
    .addColumn("command", "text")
    .addColumn("success", "integer")
    .addColumn("duration_ms", "double precision")
    .addColumn("timestamp", "text")
    .addColumn("tool_use_id", "text")
    .addUniqueConstraint("workflow_tool_calls_workflow_id_seq_key", ["workflow_id", "seq"])
    .addUniqueConstraint("workflow_tool_calls_workflow_id_tool_use_id_key", ["workflow_id", "tool_use_id"])
    .addCheckConstraint("workflow_tool_calls_success_check", sql`success in (0, 1)`)
    .execute();
}
