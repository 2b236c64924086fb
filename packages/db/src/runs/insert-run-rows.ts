import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { NewWorkflowHistory } from "../schema/workflow-history-table.js";

/** What identifies a run and what it was asked, as a loaded record or a run's start gives them. */
export interface RunRequestFields {
  workflow_id: string;
  adw_id?: string | null;
  nl_input?: string | null;
  workflow_template?: string | null;
}

/**
 * The `workflow_history` columns of a run's id and request, with the defaults every writer of a new run
 * uses: a run without an ADW id takes its own id (the column is NOT NULL UNIQUE, as in ADW databases).
 */
export function runRequestColumns(run: RunRequestFields) {
  return {
    workflow_id: run.workflow_id,
    adw_id: run.adw_id ?? run.workflow_id,
    nl_input: run.nl_input ?? null,
    workflow_template: run.workflow_template ?? null,
  };
}

/** A new `workflow_history` row, without the bookkeeping times this module stamps. */
export type NewRunRow = Omit<NewWorkflowHistory, "created_at" | "updated_at">;

/**
 * Stores new runs, stamped as created and updated `now`, in one insert. A run whose `workflow_id` is stored
 * already is left untouched (loading or starting the same run twice is the same as once). Returns the ids
 * of the runs stored by this call.
 */
export async function insertRunRows(
  trx: Kysely<Database>,
  rows: readonly NewRunRow[],
  now: string = new Date().toISOString(),
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto("workflow_history")
    .values(rows.map((row) => ({ ...row, created_at: now, updated_at: now })))
    .onConflict((oc) => oc.column("workflow_id").doNothing())
    .returning("workflow_id")
    .execute();
  return inserted.map((row) => row.workflow_id);
}
