import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * The project a run came from (its repository, else its working directory), so that the commands of a pattern
 * can say which projects ran them. An adopted history that has a `project` column already keeps it as it is.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "workflow_history");
  if (!existing.has("project"))
    await db.schema.alterTable("workflow_history").addColumn("project", "text").execute();
}
