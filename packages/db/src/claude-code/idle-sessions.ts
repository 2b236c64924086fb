import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** A Claude Code session that has a run open, and when its last event came. */
export interface OpenSession {
  session_id: string;
  open_workflow_id: string;
  /** When the session's last event was received (ISO-8601 UTC). */
  updated_at: string;
}

/**
 * The sessions with a run open whose last event was received before `before` (ISO-8601 UTC), quietest first,
 * at most `limit` of them: the runs a receiver closes once their session has gone quiet. A session with an
 * event kept and not yet applied is not quiet: its last event is that one, which the receiver has not got to
 * (a busy receiver may take longer than a short idle time).
 */
export async function idleSessions(
  db: Kysely<Database>,
  before: string,
  limit = 500,
): Promise<OpenSession[]> {
  const rows = await db
    .selectFrom("claude_code_sessions")
    .select(["session_id", "open_workflow_id", "updated_at"])
    .where("open_workflow_id", "is not", null)
    .where("updated_at", "<", before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("hook_inbox")
            .select("hook_inbox.id")
            .where("hook_inbox.processed_at", "is", null)
            .whereRef("hook_inbox.session_id", "=", "claude_code_sessions.session_id"),
        ),
      ),
    )
    .orderBy("updated_at")
    .orderBy("session_id")
    .limit(limit)
    .execute();
  return rows.flatMap(openOnly);
}

/** Those of `sessionIds` that have a run open. */
export async function openSessions(
  db: Kysely<Database>,
  sessionIds: readonly string[],
): Promise<OpenSession[]> {
  if (sessionIds.length === 0) return [];
  const rows = await db
    .selectFrom("claude_code_sessions")
    .select(["session_id", "open_workflow_id", "updated_at"])
    .where("open_workflow_id", "is not", null)
    .where("session_id", "in", sessionIds)
    .orderBy("session_id")
    .execute();
  return rows.flatMap(openOnly);
}

function openOnly(row: { session_id: string; open_workflow_id: string | null; updated_at: string }) {
  return row.open_workflow_id === null ? [] : [{ ...row, open_workflow_id: row.open_workflow_id }];
}

/**
 * Notes that an event of the session was received at `at`, so that its open run counts as active. A session
 * with no run open is left as it is: there is nothing to keep open, and a delivery repeated after its run
 * closed then changes nothing. The time only moves forward (two replicas' clocks may differ a little).
 */
export async function touchSession(db: Kysely<Database>, sessionId: string, at: string): Promise<void> {
  await db
    .updateTable("claude_code_sessions")
    .set({ updated_at: at })
    .where("session_id", "=", sessionId)
    .where("open_workflow_id", "is not", null)
    .where("updated_at", "<", at)
    .execute();
}

/**
 * Clears the session's pointer to `workflowId`, a run now closed; a session that has opened another run since
 * keeps it. Returns whether the pointer was cleared here (false when someone else did it first).
 */
export async function releaseSessionRun(
  db: Kysely<Database>,
  sessionId: string,
  workflowId: string,
): Promise<boolean> {
  const result = await db
    .updateTable("claude_code_sessions")
    .set({ open_workflow_id: null })
    .where("session_id", "=", sessionId)
    .where("open_workflow_id", "=", workflowId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
