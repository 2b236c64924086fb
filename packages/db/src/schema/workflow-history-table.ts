import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Run statuses of §2, enforced by a CHECK constraint. */
export const WORKFLOW_STATUSES = ["pending", "running", "completed", "failed"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/**
 * `workflow_history`: one row per agent run (§2). Times are ISO-8601 text (`new Date().toISOString()`),
 * token counts are integers, money is USD as a double.
 *
 * Writers must set `adw_id = adw_id ?? workflow_id` (the column is NOT NULL UNIQUE, as in ADW
 * databases) and `workflow_time` (see `workflowTimeOf` in @patternloop/core). An adopted ADW table keeps its other
 * columns (`issue_number`, `github_url`, …); they are not typed here but survive and can be read with `sql`.
 */
export interface WorkflowHistoryTable {
  id: Generated<number>;
  /** The stable run id. For ADW histories it is the `adw_id`; never a random value. UNIQUE. */
  workflow_id: string;
  /** ADW's run id. NOT NULL UNIQUE: set it to `workflow_id` when the run has no ADW id. */
  adw_id: string;
  /** The request text. */
  nl_input: string | null;
  workflow_template: string | null;
  status: WorkflowStatus;
  start_time: string | null;
  end_time: string | null;
  duration_seconds: number | null;
  error_message: string | null;
  /** Defaults to 0. */
  retry_count: ColumnType<number | null, number | null | undefined, number | null>;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_creation_tokens: number | null;
  total_tokens: number | null;
  /** USD. */
  actual_cost_total: number | null;
  model_used: string | null;
  /** Defaults to now (ISO-8601 UTC) on a fresh database; ADW defaults it to `YYYY-MM-DD HH:MM:SS`. */
  created_at: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** `start_time ?? end_time ?? created_at`, set by writers; orders backfill and statistics. Indexed. */
  workflow_time: string | null;
  /**
   * The project the run came from, as its record named it: the repository (`source.repo`), else the working
   * directory (`source.cwd`, a hook's `cwd`); NULL when the record named none.
   */
  project: ColumnType<string | null, string | null | undefined, string | null>;
  /** When backfill or validation last recorded this run's patterns; NULL until then. */
  patterns_processed_at: string | null;
}

/** A `workflow_history` row as read. */
export type WorkflowHistory = Selectable<WorkflowHistoryTable>;
/** A `workflow_history` row to insert. */
export type NewWorkflowHistory = Insertable<WorkflowHistoryTable>;
/** A change to a `workflow_history` row. */
export type WorkflowHistoryUpdate = Updateable<WorkflowHistoryTable>;
