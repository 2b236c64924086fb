import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

/**
 * Holds the given runs' rows until the caller's transaction ends, so that two transactions writing one run's
 * tool calls take turns: the second reads the positions the first stored. On PostgreSQL the rows are locked
 * in id order, so that two transactions locking overlapping sets cannot deadlock; `for no key update` still
 * lets other transactions insert rows that reference the runs. On SQLite the transaction (`BEGIN IMMEDIATE`)
 * already holds the only write lock of the file.
 */
export async function lockRuns(trx: Kysely<Database>, workflowIds: readonly string[]): Promise<void> {
  await engineFor(trx).lockRows(trx, "workflow_history", "workflow_id", workflowIds);
}
