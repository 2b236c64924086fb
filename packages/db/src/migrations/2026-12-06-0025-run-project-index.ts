import type { Kysely } from "kysely";

/**
 * Runs by project: the patterns list filtered by a project finds that project's runs (and a small one's
 * patterns) from this index, and the list of projects to filter by is read from it.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("workflow_history_project_idx")
    .ifNotExists()
    .on("workflow_history")
    .column("project")
    .execute();
}
