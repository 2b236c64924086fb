import { createDatabase } from "../create-database.js";

/**
 * What replaying a hook log stored in the database at `url`: its runs, tool calls, occurrences, patterns and
 * predictions, without the columns that hold the time of a write and without row ids, which differ between
 * two replays of the same log. Two replays that agree give equal values, whichever way the log came in.
 */
export async function storedReplay(url: string) {
  const database = await createDatabase(url);
  try {
    const { db } = database;
    return {
      runs: await db
        .selectFrom("workflow_history")
        .select([
          "workflow_id",
          "status",
          "nl_input",
          "workflow_template",
          "error_message",
          "retry_count",
          "project",
        ])
        .orderBy("workflow_id")
        .execute(),
      toolCalls: await db
        .selectFrom("workflow_tool_calls")
        .select([
          "workflow_id",
          "seq",
          "tool_name",
          "tool_input",
          "command",
          "success",
          "tool_use_id",
          "error",
        ])
        .orderBy("workflow_id")
        .orderBy("seq")
        .execute(),
      occurrences: await db
        .selectFrom("pattern_occurrences as o")
        .innerJoin("operation_patterns as p", "p.id", "o.pattern_id")
        .select(["o.workflow_id", "p.pattern_signature"])
        .orderBy("o.workflow_id")
        .orderBy("p.pattern_signature")
        .execute(),
      patterns: await db
        .selectFrom("operation_patterns")
        .select(["pattern_signature", "occurrence_count"])
        .orderBy("pattern_signature")
        .execute(),
      predictions: await db
        .selectFrom("pattern_predictions")
        .select(["workflow_id", "pattern_signature", "was_correct"])
        .orderBy("workflow_id")
        .orderBy("pattern_signature")
        .execute(),
    };
  } finally {
    await database.close();
  }
}
