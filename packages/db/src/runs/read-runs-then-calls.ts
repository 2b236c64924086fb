import type { ToolCall, ToolCallUsage } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";
import { EDIT_TOOLS, parseToolInput, successOf } from "./stored-run.js";
import { TOOL_CALL_COLUMNS, type ToolCallRow } from "./tool-call-columns.js";

/** The columns read of a call row: all of them, its input only for a file edit (see `EDIT_TOOLS`). */
const READ_COLUMNS = TOOL_CALL_COLUMNS.filter((column) => column !== "tool_input");

/**
 * The runs whose `key` is one of `values`, then their tool calls, in two queries: the way to read them on
 * any engine (see `Engine.packsCallsAsJson` for the faster way of SQLite).
 */
export async function readRunsThenCalls<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
): Promise<{ run: WorkflowHistory; calls: ToolCall[] }[]> {
  const runs = await db
    .selectFrom("workflow_history")
    .selectAll()
    .where(key, "in", values as never[])
    .execute();
  const rows = await db
    .selectFrom("workflow_tool_calls")
    .select([
      ...READ_COLUMNS,
      sql<string | null>`case when tool_name in (${EDIT_TOOLS}) then tool_input end`.as("tool_input"),
    ])
    .where(
      "workflow_id",
      "in",
      runs.map((run) => run.workflow_id),
    )
    .orderBy("workflow_id")
    .orderBy("seq")
    .execute();
  const callsByRun = new Map<string, ToolCall[]>();
  for (const row of rows) {
    let list = callsByRun.get(row.workflow_id);
    if (list === undefined) {
      list = [];
      callsByRun.set(row.workflow_id, list);
    }
    list.push(callOfRow(row));
  }
  return runs.map((run) => ({ run, calls: callsByRun.get(run.workflow_id) ?? [] }));
}

/** A tool call of its stored row. */
function callOfRow(row: ToolCallRow): ToolCall {
  return {
    tool_name: row.tool_name,
    tool_input: parseToolInput(row.tool_input, row.command),
    success: successOf(row.success),
    duration_ms: row.duration_ms,
    timestamp: row.timestamp,
    tool_use_id: row.tool_use_id,
    usage: usageOfRow(row),
    // Only a failed call reported these; other calls read back as they were written.
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.is_interrupt === null ? {} : { is_interrupt: row.is_interrupt === 1 }),
  };
}

/** A call's usage: null unless all four token counts are known. */
function usageOfRow(row: ToolCallRow): ToolCallUsage | null {
  if (
    row.input_tokens === null ||
    row.output_tokens === null ||
    row.cache_read_tokens === null ||
    row.cache_creation_tokens === null
  )
    return null;
  return {
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cache_read_tokens: row.cache_read_tokens,
    cache_creation_tokens: row.cache_creation_tokens,
    cost_usd: row.cost_usd,
  };
}
