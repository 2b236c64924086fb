import { type CommandTally, parseCommandTally } from "@patternloop/core";
import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";

/** Pattern ids per `in` list. */
const CHUNK = 200;

/** The command tallies stored for these patterns, as they are stored (not folded up first). */
export async function storedCommandTallies(
  db: Kysely<Database>,
  patternIds: readonly number[],
): Promise<Map<number, CommandTally>> {
  const found = new Map<number, CommandTally>();
  for (const chunk of inChunks(patternIds, CHUNK)) {
    const rows = await db
      .selectFrom("pattern_command_tallies")
      .select(["pattern_id", "tally"])
      .where("pattern_id", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.pattern_id, parseCommandTally(row.tally));
  }
  return found;
}
