import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/**
 * Records where a pattern's automation script lives (as the agent's command lines name it), by signature.
 * Returns false, changing nothing, for an unknown pattern.
 */
export async function recordToolScript(
  db: Kysely<Database>,
  signature: string,
  scriptPath: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("operation_patterns")
    .set({ tool_script_path: scriptPath, updated_at: new Date().toISOString() })
    .where("pattern_signature", "=", signature)
    .returning("id")
    .executeTakeFirst();
  return updated !== undefined;
}
