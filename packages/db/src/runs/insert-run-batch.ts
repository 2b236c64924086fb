import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { type InsertRunsResult, insertRunValues, type RunValues } from "./insert-runs.js";

/**
 * {@link insertRunValues} in a transaction of its own: the batch is stored whole or not at all, so a loader
 * can try a refused batch again run by run and lose only the run the database refused.
 */
export function insertRunBatch(db: Kysely<Database>, runs: readonly RunValues[]): Promise<InsertRunsResult> {
  return db.transaction().execute((trx) => insertRunValues(trx, runs));
}
