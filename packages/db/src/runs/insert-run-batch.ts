import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { type InsertRunsResult, insertRuns } from "./insert-runs.js";

/**
 * {@link insertRuns} in a transaction of its own: the batch is stored whole or not at all, so a loader can
 * try a refused batch again run by run and lose only the run the database refused.
 */
export function insertRunBatch(
  db: Kysely<Database>,
  records: readonly IdentifiedWorkflowRecord[],
): Promise<InsertRunsResult> {
  return db.transaction().execute((trx) => insertRuns(trx, records));
}
