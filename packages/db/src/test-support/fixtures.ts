import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { NewOperationPattern } from "../schema/operation-patterns-table.js";
import type { NewWorkflowHistory } from "../schema/workflow-history-table.js";

/** A completed run with the given id, as writers are told to store it. */
export function newWorkflow(
  workflowId: string,
  overrides: Partial<NewWorkflowHistory> = {},
): NewWorkflowHistory {
  const startTime = overrides.start_time ?? "2025-03-01T10:00:00.000Z";
  return {
    workflow_id: workflowId,
    adw_id: workflowId,
    status: "completed",
    nl_input: "run the backend tests",
    start_time: startTime,
    workflow_time: startTime,
    ...overrides,
  };
}

/** Inserts runs and returns their ids. */
export async function insertWorkflows(db: Kysely<Database>, ...workflowIds: string[]): Promise<string[]> {
  await db
    .insertInto("workflow_history")
    .values(workflowIds.map((id) => newWorkflow(id)))
    .execute();
  return workflowIds;
}

/** Inserts a pattern and returns its id. */
export async function insertPattern(
  db: Kysely<Database>,
  signature: string,
  overrides: Partial<NewOperationPattern> = {},
): Promise<number> {
  const row = await db
    .insertInto("operation_patterns")
    .values({ pattern_signature: signature, pattern_type: signature.split(":")[0] ?? "test", ...overrides })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every stored occurrence with its pattern's signature, in id (fold) order; wall-clock columns left out. */
export function storedOccurrences(db: Kysely<Database>) {
  return db
    .selectFrom("pattern_occurrences as po")
    .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
    .select([
      "op.pattern_signature",
      "po.workflow_id",
      "po.workflow_time",
      "po.tokens_attributed",
      "po.cost_attributed",
      "po.attribution",
      "po.evidence",
    ])
    .orderBy("po.id")
    .execute();
}
