import { type CommandTally, parseCommandTally, type RunTogether, rankRunTogether } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { foldPatternTallies } from "./fold-pattern-tallies.js";

/** Pattern ids per `in` list. */
const CHUNK = 200;

/**
 * The command tallies of these patterns, folded up to the occurrences stored now. A pattern without
 * occurrences has none.
 */
export async function patternCommandTallies(
  db: Kysely<Database>,
  patternIds: readonly number[],
): Promise<Map<number, CommandTally>> {
  await foldPatternTallies(db);
  const ids = [...new Set(patternIds)];
  const result = new Map<number, CommandTally>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("pattern_command_tallies")
      .select(["pattern_id", "tally"])
      .where("pattern_id", "in", ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) result.set(row.pattern_id, parseCommandTally(row.tally));
  }
  return result;
}

/**
 * The patterns that occurred in runs of this one, most runs in the same command first, then most runs
 * together (see `patternsRunTogether`), folded up to the occurrences stored now.
 */
export async function patternRunTogether(db: Kysely<Database>, patternId: number): Promise<RunTogether[]> {
  await foldPatternTallies(db);
  const rows = await db
    .selectFrom("pattern_pair_tallies as pt")
    .innerJoin("operation_patterns as op", "op.id", "pt.other_id")
    .select(["op.pattern_signature", "pt.same_command", "pt.same_run"])
    .where("pt.pattern_id", "=", patternId)
    .execute();
  return rankRunTogether(
    rows.map((row) => ({
      pattern_signature: row.pattern_signature,
      same_command: Number(row.same_command),
      same_run: Number(row.same_run),
    })),
  );
}
