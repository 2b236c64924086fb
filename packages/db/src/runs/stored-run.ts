import type { IdentifiedWorkflowRecord, ToolCall } from "@patternloop/core";
import { sql } from "kysely";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";

/**
 * A stored run in the record shape detection reads, with its tool calls in order. A tool call carries the
 * command of a Bash call and the input of a file edit; other tool inputs are left out.
 */
export type StoredRun = IdentifiedWorkflowRecord & {
  created_at: string | null;
  workflow_time: string | null;
};

/** Which fields of a tool call are loaded: all, or only those detection and statistics read. */
export type CallDetail = "full" | "detection";

// Only what detection and statistics read of a tool call: the command of a Bash call, the input of file edits
// (for the paths they touch). Other inputs (file contents, long edit strings) are neither sent nor parsed.
export const EDIT_TOOLS = sql.join(
  ["Edit", "Write", "MultiEdit", "NotebookEdit"].map((name) => sql.lit(name)),
);

/** A run's row and its tool calls as a {@link StoredRun}. */
export function toStoredRun(run: WorkflowHistory, toolCalls: ToolCall[]): StoredRun {
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

/** A call's input: its stored JSON when that parses, else its command (a Bash call), else nothing. */
export function parseToolInput(json: string | null, command: string | null): unknown {
  if (json !== null) {
    try {
      return JSON.parse(json);
    } catch {
      // A hand-edited row: fall back to the command column.
    }
  }
  return command === null ? {} : { command };
}

/** A stored success flag (1, 0 or NULL) as a call's `success`. */
export function successOf(success: number | null): boolean | null {
  return success === null ? null : success === 1;
}
