import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** The run a Claude Code session has open, if any, as it stands (no lock). */
export async function openRunOfSession(db: Kysely<Database>, sessionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("claude_code_sessions")
    .select("open_workflow_id")
    .where("session_id", "=", sessionId)
    .executeTakeFirst();
  return row?.open_workflow_id ?? undefined;
}

/**
 * Holds a Claude Code session until the caller's transaction ends and returns the run it has open: hooks of
 * one session that race each other (on one replica or several) then act one after the other, each seeing
 * the run the previous one opened. A session not seen before is stored, with no run open. The upsert takes
 * the row's lock on PostgreSQL, even when it changes nothing; on SQLite the transaction (`BEGIN IMMEDIATE`)
 * already holds the only write lock of the file.
 */
export async function lockSession(trx: Kysely<Database>, sessionId: string): Promise<string | undefined> {
  const row = await trx
    .insertInto("claude_code_sessions")
    .values({
      session_id: sessionId,
      open_workflow_id: null,
      prompts: 0,
      updated_at: new Date().toISOString(),
    })
    .onConflict((oc) =>
      oc.column("session_id").doUpdateSet((eb) => ({ prompts: eb.ref("claude_code_sessions.prompts") })),
    )
    .returning("open_workflow_id")
    .executeTakeFirstOrThrow();
  return row.open_workflow_id ?? undefined;
}

/** Makes a run the session's open one, counting `prompts` more prompts; the session is locked and stored. */
export async function pointSession(
  trx: Kysely<Database>,
  sessionId: string,
  workflowId: string,
  prompts: number,
): Promise<void> {
  await trx
    .updateTable("claude_code_sessions")
    .set((eb) => ({
      open_workflow_id: workflowId,
      prompts: eb("prompts", "+", prompts),
      updated_at: new Date().toISOString(),
    }))
    .where("session_id", "=", sessionId)
    .execute();
}
