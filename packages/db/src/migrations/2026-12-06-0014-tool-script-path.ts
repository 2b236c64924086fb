import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * The script `automate` wrote for a pattern, so that a run calling it can be recognised and the pattern
 * marked active. A table that already has the ADW-era column keeps it as it is.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "operation_patterns");
  if (!existing.has("tool_script_path"))
    await db.schema.alterTable("operation_patterns").addColumn("tool_script_path", "text").execute();
}
