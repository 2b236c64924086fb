import { createRequire } from "node:module";

/** The few better-sqlite3 calls the dump needs (its types belong to packages/db). */
interface ReadOnlyDatabase {
  prepare(sql: string): { all(): Record<string, unknown>[]; get(): Record<string, unknown> | undefined };
  close(): void;
}
type DatabaseConstructor = new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => ReadOnlyDatabase;

// The driver is a dependency of packages/db, not of the CLI: resolve it from there.
const requireFromDb = createRequire(import.meta.resolve("@patternloop/db"));
const BetterSqlite3 = requireFromDb("better-sqlite3") as DatabaseConstructor;

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
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const patternColumns = columnsOf(db, "operation_patterns").map((name) => `p.${name}`);
    const occurrenceColumns = columnsOf(db, "pattern_occurrences").map((name) => `o.${name}`);
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
    return { patterns: patterns.map(toJson), occurrences: occurrences.map(toJson) };
  } finally {
    db.close();
  }
}

/** How many finished runs a backfill has recorded (`patterns_processed_at` set), of how many. */
export function processedRuns(path: string): { processed: number; finished: number } {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        `select count(*) as finished, count(patterns_processed_at) as processed
         from workflow_history where status in ('completed', 'failed')`,
      )
      .get();
    return { processed: Number(row?.processed), finished: Number(row?.finished) };
  } finally {
    db.close();
  }
}

function columnsOf(db: ReadOnlyDatabase, table: string): string[] {
  return db
    .prepare(`select name from pragma_table_info('${table}') order by cid`)
    .all()
    .map((row) => String(row.name))
    .filter((name) => !WALL_CLOCK.has(name));
}

function toJson(row: Record<string, unknown>): string {
  return JSON.stringify(row);
}
