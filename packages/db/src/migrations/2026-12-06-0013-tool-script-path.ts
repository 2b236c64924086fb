import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * Where a pattern's automation script lives, once it has one: realized savings tell the runs that invoked
 * the script from those that still ran the raw command by this path.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "operation_patterns");
  if (!existing.has("tool_script_path"))
    await db.schema.alterTable("operation_patterns").addColumn("tool_script_path", "text").execute();
}
