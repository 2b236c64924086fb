import { historySpanDays } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

/** Earliest and latest workflow time of the finished runs, and the days between (§4 monthly savings). */
export interface HistorySpan {
  earliest: string | null;
  latest: string | null;
  days: number;
}

/**
 * Two probes of the finished-runs time index (its `status in` terms are the query's), named to the engines
 * whose planner would rather scan the status index.
 */
export async function readHistorySpan(db: Kysely<Database>): Promise<HistorySpan> {
  const from = engineFor(db).fromWithIndex("workflow_history", "workflow_history_finished_time_idx");
  const { rows } = await sql<{ earliest: string | null; latest: string | null }>`
    select
      (select min(workflow_time) from ${from} where status in ('completed', 'failed')) as earliest,
      (select max(workflow_time) from ${from} where status in ('completed', 'failed')) as latest`.execute(db);
  const earliest = rows[0]?.earliest ?? null;
  const latest = rows[0]?.latest ?? null;
  return { earliest, latest, days: historySpanDays(earliest, latest) };
}
