import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** A run that starts: its id, what it was asked, and when (ISO UTC). */
export interface StartedRun {
  workflow_id: string;
  adw_id?: string | null;
  nl_input?: string | null;
  workflow_template?: string | null;
  start_time: string;
}

/**
 * Registers a run as `running` from its start, in the caller's transaction; its workflow time is its start.
 * Returns false, changing nothing, when a run with that id is stored already (a start delivered twice).
 */
export async function insertStartedRun(trx: Kysely<Database>, run: StartedRun): Promise<boolean> {
  const now = new Date().toISOString();
  const inserted = await trx
    .insertInto("workflow_history")
    .values({
      workflow_id: run.workflow_id,
      adw_id: run.adw_id ?? run.workflow_id,
      nl_input: run.nl_input ?? null,
      workflow_template: run.workflow_template ?? null,
      status: "running",
      start_time: run.start_time,
      workflow_time: run.start_time,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("workflow_id").doNothing())
    .returning("workflow_id")
    .executeTakeFirst();
  return inserted !== undefined;
}
