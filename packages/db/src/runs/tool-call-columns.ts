import type { WorkflowToolCall } from "../schema/workflow-tool-calls-table.js";

/** A `workflow_tool_calls` row as written and compared: every column of the table but its `id`. */
export type ToolCallRow = Omit<WorkflowToolCall, "id">;

/**
 * Every column of a {@link ToolCallRow} (the compiler checks that none is missing or unknown), in the order
 * inserts bind them. Writers, readers and comparisons of tool-call rows take their columns from here.
 */
export const TOOL_CALL_COLUMNS = Object.keys({
  workflow_id: true,
  seq: true,
  tool_name: true,
  tool_input: true,
  command: true,
  success: true,
  duration_ms: true,
  timestamp: true,
  tool_use_id: true,
  input_tokens: true,
  output_tokens: true,
  cache_read_tokens: true,
  cache_creation_tokens: true,
  cost_usd: true,
  error: true,
  is_interrupt: true,
} satisfies Record<keyof ToolCallRow, true>) as (keyof ToolCallRow)[];
