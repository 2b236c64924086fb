import type { IdentifiedWorkflowRecord, ToolCall } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";

/** A stored run in the record shape detection reads, with its tool calls in order. */
export type StoredRun = IdentifiedWorkflowRecord & {
  created_at: string | null;
  workflow_time: string | null;
};

/** Loads runs and their tool calls by id, in the order of `workflowIds`. Unknown ids are left out. */
export async function loadRuns(db: Kysely<Database>, workflowIds: readonly string[]): Promise<StoredRun[]> {
  if (workflowIds.length === 0) return [];
  const [runs, calls] = await Promise.all([
    db.selectFrom("workflow_history").selectAll().where("workflow_id", "in", workflowIds).execute(),
    db
      .selectFrom("workflow_tool_calls")
      .selectAll()
      .where("workflow_id", "in", workflowIds)
      .orderBy("workflow_id")
      .orderBy("seq")
      .execute(),
  ]);
  const callsByRun = new Map<string, ToolCall[]>();
  for (const call of calls) {
    const list = callsByRun.get(call.workflow_id) ?? [];
    list.push({
      tool_name: call.tool_name,
      tool_input: parseToolInput(call.tool_input, call.command),
      success: call.success === null ? null : call.success === 1,
      duration_ms: call.duration_ms,
      timestamp: call.timestamp,
      tool_use_id: call.tool_use_id,
    });
    callsByRun.set(call.workflow_id, list);
  }
  const byId = new Map(
    runs.map((run) => [run.workflow_id, toRecord(run, callsByRun.get(run.workflow_id) ?? [])]),
  );
  return workflowIds.flatMap((id) => byId.get(id) ?? []);
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
