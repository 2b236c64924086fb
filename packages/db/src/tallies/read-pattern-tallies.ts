import { type CommandTally, type RunTogether, rankRunTogether } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { foldPatternTallies, unstoredTallies } from "./fold-pattern-tallies.js";
import { storedCommandTallies } from "./stored-command-tallies.js";

/**
 * The command tallies of these patterns, folded up to the occurrences stored now. A pattern without
 * occurrences has none.
 */
export async function patternCommandTallies(
  db: Kysely<Database>,
  patternIds: readonly number[],
): Promise<Map<number, CommandTally>> {
  await foldPatternTallies(db);
  const pending = unstoredTallies(db);
  const ids = [...new Set(patternIds)];
  // After a recount that could not be stored, the stored tallies are not the base of the counted ones.
  const result =
    pending?.recount === true ? new Map<number, CommandTally>() : await storedCommandTallies(db, ids);
  // A fold that could not be stored went on from the stored tallies of the patterns it counted.
  for (const id of ids) {
    const counted = pending?.counts.tallies.get(id);
    if (counted !== undefined) result.set(id, counted);
  }
  return result;
}

/**
 * The patterns that occurred in runs of this one, most runs in the same command first, then most runs
 * together (see `patternsRunTogether`), folded up to the occurrences stored now.
 */
export async function patternRunTogether(db: Kysely<Database>, patternId: number): Promise<RunTogether[]> {
  await foldPatternTallies(db);
  const pending = unstoredTallies(db);
  const pairs = new Map<number, { same_command: number; same_run: number }>();
  if (pending?.recount !== true) {
    const rows = await db
      .selectFrom("pattern_pair_tallies")
      .select(["other_id", "same_command", "same_run"])
      .where("pattern_id", "=", patternId)
      .execute();
    for (const row of rows)
      pairs.set(row.other_id, { same_command: Number(row.same_command), same_run: Number(row.same_run) });
  }
  // A fold that could not be stored counted what the stored pairs lack.
  for (const [key, counted] of pending?.counts.pairs ?? []) {
    const [from, other] = key.split(" ").map(Number) as [number, number];
    if (from !== patternId) continue;
    const pair = pairs.get(other) ?? { same_command: 0, same_run: 0 };
    pairs.set(other, {
      same_command: pair.same_command + counted.sameCommand,
      same_run: pair.same_run + counted.sameRun,
    });
  }
  if (pairs.size === 0) return [];
  const signatures = await db
    .selectFrom("operation_patterns")
    .select(["id", "pattern_signature"])
    .where("id", "in", [...pairs.keys()])
    .execute();
  return rankRunTogether(
    signatures.map((row) => ({
      pattern_signature: row.pattern_signature,
      ...(pairs.get(row.id) as { same_command: number; same_run: number }),
    })),
  );
}
