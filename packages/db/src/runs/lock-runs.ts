import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import type { WorkflowStatus } from "../schema/workflow-history-table.js";

/**
 * Holds the given runs' rows until the caller's transaction ends, so that two transactions writing one run
 * (its end, its tool calls) take turns: the second reads what the first stored. Returns the status of each
 * run that exists, read with its lock, which is the status no other writer can change before commit; an id
 * with no run is missing from the map. On PostgreSQL the rows are locked in id order, so that two
 * transactions locking overlapping sets cannot deadlock; `for no key update` still lets other transactions
 * insert rows that reference the runs. On SQLite the transaction (`BEGIN IMMEDIATE`) already holds the only
 * write lock of the file, and the statuses are read.
 */
export async function lockRuns(
  trx: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Map<string, WorkflowStatus>> {
  const sorted = [...new Set(workflowIds)].sort();
  const statuses = new Map<string, WorkflowStatus>();
  const engine = engineFor(trx);
  for (const chunk of inChunks(sorted)) {
    const rows = await engine
      .forWrite(
        trx
          .selectFrom("workflow_history")
          .select(["workflow_id", "status"])
          .where("workflow_id", "in", chunk)
          .orderBy("workflow_id"),
      )
      .execute();
    for (const row of rows) statuses.set(row.workflow_id, row.status);
  }
  return statuses;
}
