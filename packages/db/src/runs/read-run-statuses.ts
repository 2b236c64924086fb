import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { WorkflowStatus } from "../schema/workflow-history-table.js";

/**
 * The status of each of these runs that is stored, by id; an id with no run is missing from the map. Read
 * in the caller's transaction, after `lockRuns`, it is the status no other writer can change before commit.
 */
export async function readRunStatuses(
  db: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Map<string, WorkflowStatus>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("workflow_history")
    .select(["workflow_id", "status"])
    .where("workflow_id", "in", [...workflowIds])
    .execute();
  return new Map(rows.map((row) => [row.workflow_id, row.status]));
}
