import { implementedScripts, type PatternloopDatabase, runsCallingScript } from "@patternloop/db";
import { changeStatus, type StatusChangeResult } from "../lifecycle/automation-status.js";

/**
 * Moves every `implemented` pattern whose script a stored run has called to `active`: the automation is in
 * use. `automate` and `backfill` call it, so a pattern becomes active at the first of them after a run that
 * used its script is stored.
 */
export async function activateUsedScripts(database: PatternloopDatabase): Promise<StatusChangeResult[]> {
  const moves: StatusChangeResult[] = [];
  for (const { pattern_signature, tool_script_path } of await implementedScripts(database.db)) {
    const runs = await runsCallingScript(database.db, tool_script_path);
    if (runs === 0) continue;
    moves.push(
      await changeStatus(database, pattern_signature, "active", {
        by: "patternloop",
        note: `${runs} run${runs === 1 ? "" : "s"} called ${tool_script_path}`,
      }),
    );
  }
  return moves;
}
