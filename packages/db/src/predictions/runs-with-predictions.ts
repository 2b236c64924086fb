import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";

/** Which of the runs have stored predictions, live or replayed. */
export async function runsWithPredictions(
  db: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of inChunks(workflowIds)) {
    const rows = await db
      .selectFrom("pattern_predictions")
      .select("workflow_id")
      .distinct()
      .where("workflow_id", "in", chunk)
      .execute();
    for (const row of rows) found.add(row.workflow_id);
  }
  return found;
}
