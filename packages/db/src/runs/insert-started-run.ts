import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { insertRunRows, runRequestColumns } from "./insert-run-rows.js";

/** A run that starts: its id, what it was asked, and when (ISO UTC). */
export interface StartedRun {
  workflow_id: string;
  adw_id?: string | null;
  nl_input?: string | null;
  workflow_template?: string | null;
  start_time: string;
  /** The project it runs in (a hook's working directory), when known. */
  project?: string | null;
}

/**
 * Registers a run as `running` from its start, in the caller's transaction; its workflow time is its start.
 * Returns false, changing nothing, when a run with that id is stored already (a start delivered twice).
 */
export async function insertStartedRun(trx: Kysely<Database>, run: StartedRun): Promise<boolean> {
  const inserted = await insertRunRows(trx, [
    {
      ...runRequestColumns(run),
      status: "running",
      start_time: run.start_time,
      workflow_time: run.start_time,
      project: run.project ?? null,
    },
  ]);
  return inserted.length === 1;
}
