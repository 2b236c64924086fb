import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/**
 * Records the script `automate` wrote for a pattern, by signature: a path from the project's root, as the
 * agent's command lines name it. Returns false, changing nothing, for an unknown pattern.
 */
export async function recordToolScript(
  db: Kysely<Database>,
  signature: string,
  scriptPath: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("operation_patterns")
    .set({ tool_script_path: scriptPath, updated_at: new Date().toISOString() })
    .where("pattern_signature", "=", signature)
    .returning("id")
    .executeTakeFirst();
  return updated !== undefined;
}

/**
 * How many stored runs called the script: a shell tool call whose command names its path (from the project
 * root, so an absolute path or `$CLAUDE_PROJECT_DIR/…` counts too).
 */
export async function runsCallingScript(db: Kysely<Database>, scriptPath: string): Promise<number> {
  const row = await db
    .selectFrom("workflow_tool_calls")
    .select((eb) => eb.fn.count<number>("workflow_id").distinct().as("runs"))
    .where(commandNames("command", scriptPath))
    .executeTakeFirst();
  return Number(row?.runs ?? 0);
}

/** The `implemented` patterns that have a script, with its path: those that turn `active` once it is used. */
export function implementedScripts(
  db: Kysely<Database>,
): Promise<{ pattern_signature: string; tool_script_path: string }[]> {
  return db
    .selectFrom("operation_patterns")
    .select(["pattern_signature", "tool_script_path"])
    .where("automation_status", "=", "implemented")
    .where("tool_script_path", "is not", null)
    .orderBy("pattern_signature")
    .$narrowType<{ tool_script_path: string }>()
    .execute();
}

/**
 * A condition that a tool call's command contains `text`, with LIKE's `%` and `_` taken literally. On SQLite
 * LIKE ignores case, so callers that need an exact match check the rows they get.
 */
export function commandNames(column: string, text: string) {
  const escaped = text.replace(/[\\%_]/g, (character) => `\\${character}`);
  return sql<boolean>`${sql.ref(column)} like ${`%${escaped}%`} escape '\\'`;
}
