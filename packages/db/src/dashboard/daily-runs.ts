import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** Runs and their cost on one day (UTC, by workflow time). */
export interface DailyRuns {
  day: string;
  runs: number;
  cost: number;
}

/** Runs and cost per day over the whole history, oldest first; runs without a workflow time are left out. */
export async function dailyRuns(db: Kysely<Database>): Promise<DailyRuns[]> {
  const { rows } = await sql<{ day: string; runs: number; cost: number | null }>`
    select substr(workflow_time, 1, 10) as day, count(*) as runs, coalesce(sum(actual_cost_total), 0) as cost
    from workflow_history
    where workflow_time is not null
    group by substr(workflow_time, 1, 10)
    order by day`.execute(db);
  return rows.map((row) => ({ day: row.day, runs: Number(row.runs), cost: Number(row.cost ?? 0) }));
}
