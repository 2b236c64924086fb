import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

const FINISHED = ["completed", "failed"] as const;

/** Counts of the finished runs a backfill looks at. */
export async function countFinishedRuns(
  db: Kysely<Database>,
): Promise<{ finished: number; pending: number }> {
  const row = await db
    .selectFrom("workflow_history")
    .select((eb) => [
      eb.fn.countAll<number>().as("finished"),
      eb.fn.count<number>("workflow_id").filterWhere("patterns_processed_at", "is", null).as("pending"),
    ])
    .where("status", "in", FINISHED)
    .executeTakeFirstOrThrow();
  return { finished: Number(row.finished), pending: Number(row.pending) };
}

/**
 * The row ids of finished runs whose patterns are not recorded yet, oldest first: runs without a workflow
 * time first (by id), then by workflow time and id. One sorted read at the start of a backfill; numbers
 * only, so even millions of runs take a few megabytes.
 */
export async function unprocessedRunIds(db: Kysely<Database>): Promise<number[]> {
  const base = db
    .selectFrom("workflow_history")
    .select("id")
    .where("status", "in", FINISHED)
    .where("patterns_processed_at", "is", null);
  const untimed = await base.where("workflow_time", "is", null).orderBy("id").execute();
  const timed = await base
    .where("workflow_time", "is not", null)
    .orderBy("workflow_time")
    .orderBy("id")
    .execute();
  return [...untimed, ...timed].map((row) => row.id);
}
