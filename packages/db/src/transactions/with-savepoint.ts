import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/**
 * Runs `work` inside the caller's transaction under a savepoint called `name`: should `work` throw, what it
 * wrote is rolled back to the savepoint and the error thrown on, while everything the transaction wrote
 * before stands and the transaction can go on. Both engines spell savepoints the same way.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await recordRunEnd(trx, id, end);
 *   try {
 *     await withSavepoint(trx, "validation", (inner) => validateStoredPredictionsOfRuns(inner, runs));
 *   } catch {
 *     // the run's end is still recorded
 *   }
 * });
 */
export async function withSavepoint<T>(
  trx: Kysely<Database>,
  name: string,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const savepoint = sql.id(name);
  await sql`savepoint ${savepoint}`.execute(trx);
  let result: T;
  try {
    result = await work(trx);
  } catch (error) {
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    throw error;
  }
  await sql`release savepoint ${savepoint}`.execute(trx);
  return result;
}
