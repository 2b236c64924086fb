import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** Runs per `in` list, well under the bound-parameter limits. */
const CHUNK = 500;

/** Which of the runs have stored predictions, live or replayed. */
export async function runsWithPredictions(
  db: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < workflowIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("pattern_predictions")
      .select("workflow_id")
      .distinct()
      .where("workflow_id", "in", workflowIds.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) found.add(row.workflow_id);
  }
  return found;
}
