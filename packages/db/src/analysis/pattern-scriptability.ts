import { type Scriptability, summarizeCommandTally } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { patternCommandTallies } from "../tallies/read-pattern-tallies.js";

/**
 * The scriptability of each pattern given (see `Scriptability` in @patternloop/core), from the command
 * tallies folded from the evidence stored with its occurrences. A pattern without occurrences is absent
 * from the result.
 */
export async function scriptabilityOfPatterns(
  db: Kysely<Database>,
  patternIds: readonly number[],
): Promise<Map<number, Scriptability>> {
  const result = new Map<number, Scriptability>();
  for (const [id, tally] of await patternCommandTallies(db, patternIds))
    result.set(id, summarizeCommandTally(tally).scriptability);
  return result;
}
