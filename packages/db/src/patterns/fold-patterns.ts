import { addOccurrence, emptyPatternState, observeRun, type PatternState } from "@patternloop/core";
import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import { loadRuns, type StoredRun } from "../runs/load-runs.js";
import type { Database } from "../schema/database.js";

/**
 * Folds patterns' occurrences from scratch, in insertion order, with each run's outcome read from
 * `workflow_history`: the state an incremental fold of the same occurrences reaches. Every pattern (with
 * no `patternIds`) or only those given; a pattern without occurrences gets the empty state.
 */
export async function foldPatterns(
  db: Kysely<Database>,
  patternIds?: readonly number[],
): Promise<Map<number, PatternState>> {
  const ids =
    patternIds ?? (await db.selectFrom("operation_patterns").select("id").execute()).map((row) => row.id);
  const states = new Map<number, PatternState>(ids.map((id) => [id, emptyPatternState()]));
  const query = () =>
    db
      .selectFrom("pattern_occurrences")
      .select(["id", "pattern_id", "workflow_id", "tokens_attributed", "cost_attributed"])
      .orderBy("id");
  // Each pattern's occurrences in insertion order is all a fold needs: one query, or one per chunk of patterns.
  let occurrences = patternIds === undefined ? await query().execute() : [];
  if (patternIds !== undefined)
    for (const chunk of inChunks(ids))
      occurrences = occurrences.concat(await query().where("pattern_id", "in", chunk).execute());
  const runIds = [...new Set(occurrences.map((occurrence) => occurrence.workflow_id))];
  const runs = new Map<string, StoredRun>();
  for (const chunk of inChunks(runIds)) {
    for (const run of await loadRuns(db, chunk)) runs.set(run.workflow_id, run);
  }
  for (const occurrence of occurrences) {
    const run = runs.get(occurrence.workflow_id);
    const state = states.get(occurrence.pattern_id);
    if (run === undefined || state === undefined) continue;
    states.set(
      occurrence.pattern_id,
      addOccurrence(state, observeRun(run, occurrence.tokens_attributed, occurrence.cost_attributed)),
    );
  }
  return states;
}
