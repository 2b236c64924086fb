import {
  type CommandUse,
  emptyCommandTally,
  type RunTogether,
  type Scriptability,
  summarizeCommandTally,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { patternCommandTallies, patternRunTogether } from "../tallies/read-pattern-tallies.js";

/** What a user needs to script a pattern: the commands that performed it, and what ran with it. */
export interface PatternCommands {
  /** The command shapes that performed the pattern, most runs first (at most `limit`). */
  commands: CommandUse[];
  scriptability: Scriptability;
  /** The patterns that ran in the same command or the same run, most often first (at most 5). */
  run_together: RunTogether[];
}

const RUN_TOGETHER = 5;

/**
 * The commands of one pattern, from the evidence stored with its occurrences (the executed tool calls
 * detection matched) and the project of each run, normalised and counted as `summarizeCommands` counts them
 * (through the tally folded from them); and the patterns whose evidence names the same tool calls or runs.
 */
export async function patternCommands(
  db: Kysely<Database>,
  patternId: number,
  limit = 10,
): Promise<PatternCommands> {
  const tally = (await patternCommandTallies(db, [patternId])).get(patternId) ?? emptyCommandTally();
  const { commands, scriptability } = summarizeCommandTally(tally);
  return {
    commands: commands.slice(0, limit),
    scriptability,
    run_together: (await patternRunTogether(db, patternId)).slice(0, RUN_TOGETHER),
  };
}
