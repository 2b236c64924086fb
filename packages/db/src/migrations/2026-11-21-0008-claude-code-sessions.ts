import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { isoNow, setAsideExistingTable } from "./migration-helpers.js";

/**
 * `claude_code_sessions`: the run a Claude Code session has open (its last prompt's), so that tool-call and
 * stop hooks find it. `hook_deliveries`: a digest per hook payload received, so a repeated delivery is
 * recognised and changes nothing.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "claude_code_sessions");
  await db.schema
    .createTable("claude_code_sessions")
    .addColumn("session_id", "text", (col) => col.primaryKey())
    .addColumn("open_workflow_id", "text", (col) =>
      col.references("workflow_history.workflow_id").onDelete("set null"),
    )
    .addColumn("prompts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .execute();
  await setAsideExistingTable(db, engine, "hook_deliveries");
  await db.schema
    .createTable("hook_deliveries")
    .addColumn("digest", "text", (col) => col.primaryKey())
    .addColumn("session_id", "text")
    .addColumn("hook_event_name", "text")
    .addColumn("received_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .execute();
}
