import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/**
 * A value that changes whenever a write changes what the analyses read: a run stored, ended or re-ingested
 * (its `updated_at`, the run count for deletions), an occurrence or prediction recorded or removed, a
 * prediction validated or a pattern's statistics or status moved (the patterns' own aggregates), a status
 * change recorded. Every probe is an index lookup or a read of the small patterns table, so a reader can ask
 * on every request whether figures it derived earlier still hold.
 */
export async function historyVersion(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<Record<string, string | number | null>>`
    select
      (select max(updated_at) from workflow_history) as runs_updated,
      (select count(*) from workflow_history) as runs,
      (select max(id) from pattern_occurrences) as last_occurrence,
      (select count(*) from pattern_occurrences) as occurrences,
      (select max(id) from pattern_predictions) as last_prediction,
      (select max(id) from pattern_status_history) as last_status_change,
      (select count(*) from operation_patterns) as patterns,
      (select max(updated_at) from operation_patterns) as patterns_updated,
      (select sum(validated_count) from operation_patterns) as validated,
      (select sum(correct_count) from operation_patterns) as correct`.execute(db);
  return JSON.stringify(Object.values(rows[0] ?? {}).map((value) => (value === null ? null : String(value))));
}
