import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";

/**
 * The stored runs whose `workflow_id` is `<anything>:<prompt id>` for one of the given prompt ids, as
 * prompt id → workflow id. Claude Code 1.0 copied a session's lines, `uuid` included, into the transcript of
 * a resumed session under the new session id: this finds the run a copied prompt already made.
 */
export async function runsOfPrompts(
  db: Kysely<Database>,
  promptIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const ids = [...new Set(promptIds)].filter((id) => SAFE.test(id));
  for (const chunk of inChunks(ids, CHUNK)) {
    const rows = await db
      .selectFrom("workflow_history")
      .select("workflow_id")
      .where((eb) => eb.or(chunk.map((id) => eb("workflow_id", "like", `%:${id}`))))
      .execute();
    for (const row of rows) {
      const promptId = row.workflow_id.slice(row.workflow_id.lastIndexOf(":") + 1);
      if (!found.has(promptId)) found.set(promptId, row.workflow_id);
    }
  }
  return found;
}

/** Ids without LIKE wildcards (`%`, `_`) or separators: Claude Code's uuids. */
const SAFE = /^[A-Za-z0-9-]+$/;

/** Patterns per query: each a full scan of the ids, so few queries of many patterns. */
const CHUNK = 200;
