import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, columnNames, setAsideExistingTable } from "./migration-helpers.js";

/**
 * `hook_inbox`: each Claude Code hook event as it was received, kept before the receiver answers and applied
 * after it, so that an answered event is never lost (a restart applies what was left). `id` gives the order
 * of arrival, which is the order a session's events are applied in; `event_id` is the event's identity, so
 * the same event received twice is kept once. `workflow_tool_calls` gains what a failed tool call reported:
 * its `error` and whether the user interrupted it (`is_interrupt`).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  const existing = await columnNames(db, engine, "workflow_tool_calls");
  if (!existing.has("error"))
    await db.schema.alterTable("workflow_tool_calls").addColumn("error", "text").execute();
  if (!existing.has("is_interrupt"))
    await db.schema.alterTable("workflow_tool_calls").addColumn("is_interrupt", "integer").execute();
  await setAsideExistingTable(db, engine, "hook_inbox");
  await addIdColumn(db.schema.createTable("hook_inbox"), engine)
    .addColumn("event_id", "text", (col) => col.notNull().unique())
    .addColumn("session_id", "text", (col) => col.notNull())
    .addColumn("payload_digest", "text", (col) => col.notNull())
    .addColumn("delivery_key", "text")
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("received_at", "text", (col) => col.notNull())
    .addColumn("claimed_until", "text")
    .addColumn("processed_at", "text")
    .addUniqueConstraint("hook_inbox_session_id_delivery_key_key", ["session_id", "delivery_key"])
    .execute();
  await db.schema
    .createIndex("hook_inbox_session_payload_idx")
    .on("hook_inbox")
    .columns(["session_id", "payload_digest"])
    .execute();
  await db.schema
    .createIndex("hook_inbox_pending_idx")
    .on("hook_inbox")
    .columns(["processed_at", "session_id", "id"])
    .execute();
}
