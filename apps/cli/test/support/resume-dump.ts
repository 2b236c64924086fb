import { tableColumns, withSqlite } from "./sqlite.js";

/** Columns that hold the wall-clock time of the write, which two backfills never share. */
const WALL_CLOCK = new Set(["created_at", "updated_at", "detected_at"]);

export interface StatisticsDump {
  /** Every `operation_patterns` row but its wall-clock columns, by signature, as JSON. */
  patterns: string[];
  /** Every `pattern_occurrences` row but `detected_at`, with its signature, by (signature, workflow_id), as JSON. */
  occurrences: string[];
}

/** Reads a history database's statistics without writing to it. */
export function dumpStatistics(path: string): StatisticsDump {
  return withSqlite(
    path,
    (db) => {
      const patternColumns = tableColumns(db, "operation_patterns", WALL_CLOCK).map((name) => `p.${name}`);
      const occurrenceColumns = tableColumns(db, "pattern_occurrences", WALL_CLOCK).map(
        (name) => `o.${name}`,
      );
      const patterns = db
        .prepare(`select ${patternColumns.join(", ")} from operation_patterns p order by p.pattern_signature`)
        .all();
      const occurrences = db
        .prepare(
          `select p.pattern_signature, ${occurrenceColumns.join(", ")}
           from pattern_occurrences o join operation_patterns p on p.id = o.pattern_id
           order by p.pattern_signature, o.workflow_id`,
        )
        .all();
      const toJson = (row: Record<string, unknown>) => JSON.stringify(row);
      return { patterns: patterns.map(toJson), occurrences: occurrences.map(toJson) };
    },
    { readonly: true },
  );
}

/** How many finished runs a backfill has recorded (`patterns_processed_at` set), of how many. */
export function processedRuns(path: string): { processed: number; finished: number } {
  return withSqlite(
    path,
    (db) => {
      const row = db
        .prepare(
          `select count(*) as finished, count(patterns_processed_at) as processed
           from workflow_history where status in ('completed', 'failed')`,
        )
        .get();
      return { processed: Number(row?.processed), finished: Number(row?.finished) };
    },
    { readonly: true },
  );
}
