import type { Kysely } from "kysely";

/**
 * Two indexes the dashboard reads through: a pattern's occurrences per day with their cost straight from the
 * index (no row of the table read), and the last change of any run, one probe of the version that tells
 * whether the dashboard's figures must be read anew.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("pattern_occurrences_pattern_id_time_cost_idx")
    .ifNotExists()
    .on("pattern_occurrences")
    .columns(["pattern_id", "workflow_time", "cost_attributed"])
    .execute();
  await db.schema
    .createIndex("workflow_history_updated_at_idx")
    .ifNotExists()
    .on("workflow_history")
    .column("updated_at")
    .execute();
}
