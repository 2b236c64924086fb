import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";

/**
 * The runs among `workflowIds` that have a tool call the user interrupted, each with that call's error (the
 * first such call's; an empty string when it reported none).
 */
export async function interruptedRuns(
  db: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Map<string, string>> {
  const interrupted = new Map<string, string>();
  for (const chunk of inChunks(workflowIds)) {
    const rows = await db
      .selectFrom("workflow_tool_calls")
      .select(["workflow_id", "error"])
      .where("workflow_id", "in", chunk)
      .where("is_interrupt", "=", 1)
      .orderBy("workflow_id")
      .orderBy("seq")
      .execute();
    for (const row of rows)
      if (!interrupted.has(row.workflow_id)) interrupted.set(row.workflow_id, row.error ?? "");
  }
  return interrupted;
}
