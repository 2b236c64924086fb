import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { type InsertRunsResult, insertRunValues, type RunValues, runValuesOf } from "./insert-runs.js";

/**
 * {@link insertRuns} in a transaction of its own: the batch is stored whole or not at all, so a loader can
 * try a refused batch again run by run and lose only the run the database refused.
 */
export function insertRunBatch(
  db: Kysely<Database>,
  records: readonly IdentifiedWorkflowRecord[],
): Promise<InsertRunsResult> {
  return insertRunValuesBatch(db, records.map(runValuesOf));
}

/** {@link insertRunBatch} of runs whose rows are built already ({@link runValuesOf}, on another thread). */
export function insertRunValuesBatch(
  db: Kysely<Database>,
  runs: readonly RunValues[],
): Promise<InsertRunsResult> {
  return db.transaction().execute((trx) => insertRunValues(trx, runs));
}
