import { type Kysely, sql } from "kysely";

/**
 * An index on the workflow time of finished runs only, so the history's span (`min` / `max`, read on every
 * completion) is two index probes instead of a scan of every finished run.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("workflow_history_finished_time_idx")
    .ifNotExists()
    .on("workflow_history")
    .column("workflow_time")
    .where(sql.ref("status"), "in", [sql.lit("completed"), sql.lit("failed")])
    .execute();
}
