import { type Scriptability, summarizeCommands } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

const CHUNK = 200;

/**
 * The scriptability of each pattern given (see `Scriptability` in @patternloop/core), read from the evidence
 * stored with its occurrences. A pattern without occurrences is absent from the result.
 */
export async function scriptabilityOfPatterns(
  db: Kysely<Database>,
  patternIds: readonly number[],
): Promise<Map<number, Scriptability>> {
  const byPattern = new Map<number, { workflow_id: string; project: null; evidence: string | null }[]>();
  const ids = [...new Set(patternIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("pattern_occurrences")
      .select(["pattern_id", "workflow_id", "evidence"])
      .where("pattern_id", "in", ids.slice(i, i + CHUNK))
      .orderBy("id")
      .execute();
    for (const row of rows) {
      let list = byPattern.get(row.pattern_id);
      if (list === undefined) {
        list = [];
        byPattern.set(row.pattern_id, list);
      }
      list.push({ workflow_id: row.workflow_id, project: null, evidence: row.evidence });
    }
  }
  const result = new Map<number, Scriptability>();
  for (const [id, occurrences] of byPattern) result.set(id, summarizeCommands(occurrences).scriptability);
  return result;
}
