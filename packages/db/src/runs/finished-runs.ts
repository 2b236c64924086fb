import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { loadRuns, type StoredRun } from "./load-runs.js";

/** Every finished (completed or failed) run with its tool calls, a page at a time, in id order. */
export async function* finishedRuns(db: Kysely<Database>, pageSize = 500): AsyncGenerator<StoredRun[]> {
  let lastId = 0;
  for (;;) {
    const page = await db
      .selectFrom("workflow_history")
      .select(["id", "workflow_id"])
      .where("status", "in", ["completed", "failed"])
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    const tail = page[page.length - 1];
    if (tail === undefined) return;
    lastId = tail.id;
    yield await loadRuns(
      db,
      page.map((row) => row.workflow_id),
    );
  }
}
