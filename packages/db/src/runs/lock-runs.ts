import type { Kysely } from "kysely";
import { engineOf } from "../engine-of.js";
import type { Database } from "../schema/database.js";

/** Run ids per locking statement. */
const ID_CHUNK = 500;

/**
 * Holds the given runs' rows until the caller's transaction ends, so that two transactions writing one run's
 * tool calls take turns: the second reads the positions the first stored. On PostgreSQL the rows are locked
 * in id order, so that two transactions locking overlapping sets cannot deadlock; `for no key update` still
 * lets other transactions insert rows that reference the runs. On SQLite the transaction (`BEGIN IMMEDIATE`)
 * already holds the only write lock of the file.
 */
export async function lockRuns(trx: Kysely<Database>, workflowIds: readonly string[]): Promise<void> {
  if (engineOf(trx) !== "postgres" || workflowIds.length === 0) return;
  const ids = [...new Set(workflowIds)].sort();
  for (let i = 0; i < ids.length; i += ID_CHUNK)
    await trx
      .selectFrom("workflow_history")
      .select("workflow_id")
      .where("workflow_id", "in", ids.slice(i, i + ID_CHUNK))
      .orderBy("workflow_id")
      .forNoKeyUpdate()
      .execute();
}
