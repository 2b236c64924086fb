import type { Kysely } from "kysely";

/**
 * What the dashboard's and `analyze`'s command figures add up, kept per pattern so that no read goes through
 * every occurrence: `pattern_command_tallies` (a pattern's command shapes with their runs, calls,
 * directories and projects, as JSON), `pattern_pair_tallies` (runs two patterns shared, and runs where they
 * shared a tool call) and `pattern_tally_watermark`, its one row saying up to which occurrence id, and over
 * how many occurrences, the tallies were folded. Empty at first: the first read folds every occurrence.
 * And indexes that hold every column some first reads of the dashboard count by, so that they are counted
 * from an index, not from the tables' rows: predictions per pattern and origin, validated or not, correct or
 * not (the accuracy figures); occurrences per pattern and attribution with their tokens and cost (what the
 * savings assume, cost by attribution); runs by time with their cost, status and project (the totals and
 * runs per day).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pattern_command_tallies")
    .ifNotExists()
    .addColumn("pattern_id", "integer", (col) =>
      col.primaryKey().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("tally", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createTable("pattern_pair_tallies")
    .ifNotExists()
    .addColumn("pattern_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("other_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("same_run", "integer", (col) => col.notNull())
    .addColumn("same_command", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("pattern_pair_tallies_pkey", ["pattern_id", "other_id"])
    .execute();
  await db.schema
    .createTable("pattern_tally_watermark")
    .ifNotExists()
    .addColumn("id", "integer", (col) => col.primaryKey())
    .addColumn("folded_through", "integer", (col) => col.notNull())
    .addColumn("folded_count", "integer", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("pattern_predictions_accuracy_idx")
    .ifNotExists()
    .on("pattern_predictions")
    .columns(["pattern_id", "replayed", "validated_at", "was_correct"])
    .execute();
  await db.schema
    .createIndex("pattern_occurrences_attribution_idx")
    .ifNotExists()
    .on("pattern_occurrences")
    .columns(["pattern_id", "attribution", "tokens_attributed", "cost_attributed"])
    .execute();
  await db.schema
    .createIndex("workflow_history_time_cost_idx")
    .ifNotExists()
    .on("workflow_history")
    .columns(["workflow_time", "actual_cost_total", "status", "project"])
    .execute();
  await db
    .insertInto("pattern_tally_watermark")
    .values({ id: 1, folded_through: 0, folded_count: 0 })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}
