import type { IdentifiedWorkflowRecord, ToolCall, ToolCallUsage } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";
import type { WorkflowToolCall } from "../schema/workflow-tool-calls-table.js";

/**
 * A stored run in the record shape detection reads, with its tool calls in order. A tool call carries the
 * command of a Bash call and the input of a file edit; other tool inputs are left out.
 */
export type StoredRun = IdentifiedWorkflowRecord & {
  created_at: string | null;
  workflow_time: string | null;
};

/** Loads runs and their tool calls by `workflow_id`, in the order given. Unknown ids are left out. */
export function loadRuns(db: Kysely<Database>, workflowIds: readonly string[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "workflow_id", workflowIds);
}

/** Loads runs and their tool calls by row id (`workflow_history.id`), in the order given. */
export function loadRunsByRowIds(db: Kysely<Database>, ids: readonly number[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "id", ids);
}

async function loadRunsWhere<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
): Promise<StoredRun[]> {
  if (values.length === 0) return [];
  const runs = await db
    .selectFrom("workflow_history")
    .selectAll()
    .where(key, "in", values as never[])
    .execute();
  // Only what detection and statistics read: the command of a Bash call, the input of file edits (for the
  // paths they touch). Other inputs (file contents, long edit strings) are neither sent nor parsed.
  const calls = await db
    .selectFrom("workflow_tool_calls")
    .select([
      "workflow_id",
      "tool_name",
      "command",
      "success",
      "duration_ms",
      "timestamp",
      "tool_use_id",
      "input_tokens",
      "output_tokens",
      "cache_read_tokens",
      "cache_creation_tokens",
      "cost_usd",
      sql<
        string | null
      >`case when tool_name in ('Edit', 'Write', 'MultiEdit', 'NotebookEdit') then tool_input end`.as(
        "tool_input",
      ),
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
  for (const call of calls) {
    let list = callsByRun.get(call.workflow_id);
    if (list === undefined) {
      list = [];
      callsByRun.set(call.workflow_id, list);
    }
    list.push({
      tool_name: call.tool_name,
      tool_input: parseToolInput(call.tool_input, call.command),
      success: call.success === null ? null : call.success === 1,
      duration_ms: call.duration_ms,
      timestamp: call.timestamp,
      tool_use_id: call.tool_use_id,
      usage: usageOf(call),
    });
  }
  const byKey = new Map<unknown, StoredRun>(
    runs.map((run) => [run[key], toRecord(run, callsByRun.get(run.workflow_id) ?? [])]),
  );
  return values.flatMap((value) => byKey.get(value) ?? []);
}

function toRecord(run: WorkflowHistory, toolCalls: ToolCall[]): StoredRun {
  return {
    workflow_id: run.workflow_id,
    adw_id: run.adw_id,
    nl_input: run.nl_input,
    workflow_template: run.workflow_template,
    status: run.status,
    start_time: run.start_time,
    end_time: run.end_time,
    duration_seconds: run.duration_seconds,
    error_message: run.error_message,
    retry_count: run.retry_count,
    input_tokens: run.input_tokens,
    output_tokens: run.output_tokens,
    cache_read_tokens: run.cache_read_tokens,
    cache_creation_tokens: run.cache_creation_tokens,
    total_tokens: run.total_tokens,
    actual_cost_total: run.actual_cost_total,
    model_used: run.model_used,
    created_at: run.created_at,
    workflow_time: run.workflow_time,
    tool_calls: toolCalls,
  };
}

function parseToolInput(json: string | null, command: string | null): unknown {
  if (json !== null) {
    try {
      return JSON.parse(json);
    } catch {
      // A hand-edited row: fall back to the command column.
    }
  }
  return command === null ? {} : { command };
}

function usageOf(
  call: Pick<
    WorkflowToolCall,
    "input_tokens" | "output_tokens" | "cache_read_tokens" | "cache_creation_tokens" | "cost_usd"
  >,
): ToolCallUsage | null {
  if (
    call.input_tokens === null ||
    call.output_tokens === null ||
    call.cache_read_tokens === null ||
    call.cache_creation_tokens === null
  )
    return null;
  return {
    input_tokens: call.input_tokens,
    output_tokens: call.output_tokens,
    cache_read_tokens: call.cache_read_tokens,
    cache_creation_tokens: call.cache_creation_tokens,
    cost_usd: call.cost_usd,
  };
}
