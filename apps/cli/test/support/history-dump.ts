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

/** Columns that two loads of one history never share: generated ids and the wall-clock time of the write. */
const NOT_COMPARED = new Set(["id", "created_at", "updated_at"]);

export interface HistoryDump {
  /** Every `workflow_history` row but its id and wall-clock columns, by `workflow_id`, as JSON. */
  runs: string[];
  /** Every `workflow_tool_calls` row but its id, by (`workflow_id`, `seq`), as JSON. */
  toolCalls: string[];
}

/** Reads the runs and tool calls of a history database without writing to it. */
export function dumpHistory(path: string): HistoryDump {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const rows = (table: string, order: string) =>
      db
        .prepare(`select ${columnsOf(db, table).join(", ")} from ${table} order by ${order}`)
        .all()
        .map((row) => JSON.stringify(row));
    return {
      runs: rows("workflow_history", "workflow_id"),
      toolCalls: rows("workflow_tool_calls", "workflow_id, seq"),
    };
  } finally {
    db.close();
  }
}

/** How many runs the history holds, as a reader beside a running load sees them. */
export function storedRuns(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return Number(db.prepare("select count(*) as runs from workflow_history").get()?.runs);
  } finally {
    db.close();
  }
}

function columnsOf(db: ReadOnlyDatabase, table: string): string[] {
  return db
    .prepare(`select name from pragma_table_info('${table}') order by cid`)
    .all()
    .map((row) => String(row.name))
    .filter((name) => !NOT_COMPARED.has(name));
}
