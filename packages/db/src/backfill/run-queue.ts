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
 * The ids of finished runs whose patterns are not recorded yet, oldest first, one page at a time:
 * runs without a workflow time first (by id), then by workflow time and id. Keyset paging, so that each page
 * is an index range and runs that fail to process do not come back.
 */
export async function* unprocessedRunIds(db: Kysely<Database>, pageSize: number): AsyncGenerator<string[]> {
  let lastId = 0;
  for (;;) {
    const page = await db
      .selectFrom("workflow_history")
      .select(["id", "workflow_id"])
      .where("status", "in", FINISHED)
      .where("patterns_processed_at", "is", null)
      .where("workflow_time", "is", null)
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    if (page.length === 0) break;
    lastId = page[page.length - 1]?.id ?? lastId;
    yield page.map((row) => row.workflow_id);
  }
  let last: { time: string; id: number } | undefined;
  for (;;) {
    let query = db
      .selectFrom("workflow_history")
      .select(["id", "workflow_id", "workflow_time"])
      .where("status", "in", FINISHED)
      .where("patterns_processed_at", "is", null)
      .where("workflow_time", "is not", null);
    if (last !== undefined) {
      const { time, id } = last;
      query = query.where((eb) =>
        eb.or([eb("workflow_time", ">", time), eb.and([eb("workflow_time", "=", time), eb("id", ">", id)])]),
      );
    }
    const page = await query.orderBy("workflow_time").orderBy("id").limit(pageSize).execute();
    const tail = page[page.length - 1];
    if (tail === undefined) break;
    last = { time: tail.workflow_time as string, id: tail.id };
    yield page.map((row) => row.workflow_id);
  }
}
