import { tableColumns, withSqlite } from "./sqlite.js";

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
  return withSqlite(
    path,
    (db) => {
      const rows = (table: string, order: string) =>
        db
          .prepare(
            `select ${tableColumns(db, table, NOT_COMPARED).join(", ")} from ${table} order by ${order}`,
          )
          .all()
          .map((row) => JSON.stringify(row));
      return {
        runs: rows("workflow_history", "workflow_id"),
        toolCalls: rows("workflow_tool_calls", "workflow_id, seq"),
      };
    },
    { readonly: true },
  );
}

/** How many runs the history holds, as a reader beside a running load sees them. */
export function storedRuns(path: string): number {
  return withSqlite(
    path,
    (db) => Number(db.prepare("select count(*) as runs from workflow_history").get()?.runs),
    { readonly: true },
  );
}
