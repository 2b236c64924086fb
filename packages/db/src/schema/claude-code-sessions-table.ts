import type { ColumnType, Selectable } from "kysely";

/** `claude_code_sessions`: the run each Claude Code session has open. */
export interface ClaudeCodeSessionsTable {
  session_id: string;
  /** References `workflow_history.workflow_id`; null when no run is open. */
  open_workflow_id: string | null;
  /** Prompts received in the session. */
  prompts: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<string, string | undefined, string>;
}

/** `hook_deliveries`: one row per distinct hook payload received (SHA-256 of its JSON). */
export interface HookDeliveriesTable {
  digest: string;
  session_id: string | null;
  hook_event_name: string | null;
  received_at: ColumnType<string, string | undefined, string>;
}

export type ClaudeCodeSession = Selectable<ClaudeCodeSessionsTable>;
