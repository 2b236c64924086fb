import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** What the history holds: its runs and their cost, and the part of that cost attributed to patterns. */
export interface HistoryTotals {
  runs: number;
  completed_runs: number;
  failed_runs: number;
  /** Sum of the runs' reported (or computed) cost in USD; runs without a cost count 0. */
  total_cost: number;
  /** Runs that carry a cost figure at all. */
  costed_runs: number;
  /**
   * Sum over the patterns of the cost attributed to their occurrences (the stored `cost_sum` each pattern's
   * cost per use is the mean of). A run with two patterns contributes to both.
   */
  pattern_cost: number;
  /** Distinct projects the runs were made in (runs without one are not counted). */
  projects: number;
}

/** The totals of the history, read from aggregates and covering indexes (no per-row work in JavaScript). */
export async function historyTotals(db: Kysely<Database>): Promise<HistoryTotals> {
  const { rows } = await sql<Record<keyof HistoryTotals, number | string | null>>`
    select
      (select count(*) from workflow_history) as runs,
      (select count(*) from workflow_history where status = 'completed') as completed_runs,
      (select count(*) from workflow_history where status = 'failed') as failed_runs,
      (select coalesce(sum(actual_cost_total), 0) from workflow_history) as total_cost,
      (select count(actual_cost_total) from workflow_history) as costed_runs,
      (select coalesce(sum(cost_sum), 0) from operation_patterns) as pattern_cost,
      (select count(distinct project) from workflow_history) as projects`.execute(db);
  const row = rows[0];
  const n = (key: keyof HistoryTotals) => Number(row?.[key] ?? 0);
  return {
    runs: n("runs"),
    completed_runs: n("completed_runs"),
    failed_runs: n("failed_runs"),
    total_cost: n("total_cost"),
    costed_runs: n("costed_runs"),
    pattern_cost: n("pattern_cost"),
    projects: n("projects"),
  };
}
