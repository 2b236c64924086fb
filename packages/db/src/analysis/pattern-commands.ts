import {
  type CommandUse,
  patternsRunTogether,
  type RunTogether,
  type Scriptability,
  summarizeCommands,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

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
 * The commands of one pattern, read from the evidence stored with its occurrences (the executed tool calls
 * detection matched) and the project of each run, normalised and counted by `summarizeCommands`; and the
 * patterns whose evidence names the same tool calls or runs.
 */
export async function patternCommands(
  db: Kysely<Database>,
  patternId: number,
  limit = 10,
): Promise<PatternCommands> {
  const occurrences = await db
    .selectFrom("pattern_occurrences as po")
    .innerJoin("workflow_history as wh", "wh.workflow_id", "po.workflow_id")
    .select(["po.workflow_id", "wh.project", "po.evidence"])
    .where("po.pattern_id", "=", patternId)
    .orderBy("po.id")
    .execute();
  const neighbours = await db
    .selectFrom("pattern_occurrences as own")
    .innerJoin("pattern_occurrences as other", "other.workflow_id", "own.workflow_id")
    .innerJoin("operation_patterns as op", "op.id", "other.pattern_id")
    .select(["other.workflow_id", "op.pattern_signature", "other.evidence"])
    .where("own.pattern_id", "=", patternId)
    .where("other.pattern_id", "<>", patternId)
    .orderBy("other.id")
    .execute();
  const { commands, scriptability } = summarizeCommands(occurrences);
  return {
    commands: commands.slice(0, limit),
    scriptability,
    run_together: patternsRunTogether(occurrences, neighbours).slice(0, RUN_TOGETHER),
  };
}
