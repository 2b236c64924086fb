import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * What applying a kept hook event has cost so far: `attempts` that failed, the `last_error`, and `set_aside_at`
 * when it failed too often and was set aside (kept whole, no longer holding back its session's later events).
 * Existing rows start with no failed attempt.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "hook_inbox");
  if (!existing.has("attempts"))
    await db.schema
      .alterTable("hook_inbox")
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
      .execute();
  if (!existing.has("last_error"))
    await db.schema.alterTable("hook_inbox").addColumn("last_error", "text").execute();
  if (!existing.has("set_aside_at"))
    await db.schema.alterTable("hook_inbox").addColumn("set_aside_at", "text").execute();
}
