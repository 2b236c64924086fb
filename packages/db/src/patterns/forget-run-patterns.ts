import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import { foldPatterns } from "./fold-patterns.js";
import { lockPatterns } from "./record-occurrences.js";
import { storePatternStates } from "./store-pattern-states.js";

/**
 * Takes back what a backfill (or a completion) recorded of some runs whose content has changed since:
 * their occurrences go, the patterns they counted in are folded again from the occurrences left (exactly as
 * a recount would), and the runs lose their processed marker, so that the next backfill detects them as
 * they are now. In the caller's transaction. Returns how many patterns were folded again.
 */
export async function forgetRunPatterns(
  trx: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<number> {
  const patternIds = new Set<number>();
  for (const chunk of inChunks(workflowIds)) {
    const rows = await trx
      .selectFrom("pattern_occurrences")
      .select("pattern_id")
      .distinct()
      .where("workflow_id", "in", chunk)
      .execute();
    for (const row of rows) patternIds.add(row.pattern_id);
  }
  const now = new Date().toISOString();
  // Locked before their occurrences are read, so that no concurrent writer folds into them meanwhile.
  await lockPatterns(trx, [...patternIds]);
  for (const chunk of inChunks(workflowIds)) {
    await trx.deleteFrom("pattern_occurrences").where("workflow_id", "in", chunk).execute();
    await trx
      .updateTable("workflow_history")
      .set({ patterns_processed_at: null })
      .where("workflow_id", "in", chunk)
      .execute();
  }
  if (patternIds.size === 0) return 0;
  const states = await foldPatterns(trx, [...patternIds]);
  await storePatternStates(trx, states, now);
  return patternIds.size;
}
