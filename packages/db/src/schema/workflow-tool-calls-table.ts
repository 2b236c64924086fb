import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * `workflow_tool_calls`: what a run actually executed, in order. UNIQUE (workflow_id, seq) and
 * UNIQUE (workflow_id, tool_use_id) make re-delivered hooks harmless (NULL tool_use_ids never collide).
 * Rows go away with their run (ON DELETE CASCADE).
 */
export interface WorkflowToolCallsTable {
  id: Generated<number>;
  /** References `workflow_history.workflow_id`. */
  workflow_id: string;
  /** Position of the call in the run, from 0 or 1 as the writer chooses, unique per run. */
  seq: number;
  /** `Bash`, `Edit`, `Read`, … */
  tool_name: string;
  /** The tool input as JSON text. */
  tool_input: string | null;
  /** The shell command of a `Bash` call; NULL for other tools. */
  command: string | null;
  /** 1 success, 0 failure, NULL unknown. */
  success: number | null;
  duration_ms: number | null;
  /** ISO-8601. */
  timestamp: string | null;
  tool_use_id: string | null;
  /** Tokens of the call when a transcript tells them (see `ToolCallUsage` in core); null otherwise. */
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_creation_tokens: number | null;
  /** USD; null when unknown. */
  cost_usd: number | null;
  /** What a failed call reported (Claude Code's `PostToolUseFailure` `error`); null otherwise. */
  error: string | null;
  /** 1 when the user interrupted the call, 0 when it failed on its own, NULL when not told. */
  is_interrupt: number | null;
}

/** A `workflow_tool_calls` row as read. */
export type WorkflowToolCall = Selectable<WorkflowToolCallsTable>;
/** A `workflow_tool_calls` row to insert. */
export type NewWorkflowToolCall = Insertable<WorkflowToolCallsTable>;
/** A change to a `workflow_tool_calls` row. */
export type WorkflowToolCallUpdate = Updateable<WorkflowToolCallsTable>;
