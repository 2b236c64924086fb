import { historySpanDays } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** Earliest and latest workflow time of the finished runs, and the days between (§4 monthly savings). */
export interface HistorySpan {
  earliest: string | null;
  latest: string | null;
  days: number;
}

export async function readHistorySpan(db: Kysely<Database>): Promise<HistorySpan> {
  const row = await db
    .selectFrom("workflow_history")
    .select((eb) => [eb.fn.min("workflow_time").as("earliest"), eb.fn.max("workflow_time").as("latest")])
    .where("status", "in", ["completed", "failed"])
    .executeTakeFirst();
  const earliest = (row?.earliest as string | null | undefined) ?? null;
  const latest = (row?.latest as string | null | undefined) ?? null;
  return { earliest, latest, days: historySpanDays(earliest, latest) };
}
