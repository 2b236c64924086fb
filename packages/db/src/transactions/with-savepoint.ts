import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** What {@link withSavepoint}'s work gave: its value, or the error it threw once its writes were undone. */
export type SavepointResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `work` inside the caller's transaction under a savepoint called `name`. Should `work` throw, what it
 * wrote is rolled back to the savepoint and its error returned, while everything the transaction wrote before
 * stands and the transaction goes on: a savepoint exists to outlive its work's failure, so that failure is a
 * value. Only a failure of the savepoint statements themselves is thrown, as the transaction cannot go on
 * after one. Both engines spell savepoints the same way.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await recordRunEnd(trx, id, end);
 *   const validated = await withSavepoint(trx, "validation", (inner) => validateStoredPredictionsOfRuns(inner, runs));
 *   if (!validated.ok) log(`validation failed: ${validated.error}`); // the run's end is still recorded
 * });
 */
export async function withSavepoint<T>(
  trx: Kysely<Database>,
  name: string,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<SavepointResult<T>> {
  const savepoint = sql.id(name);
  await sql`savepoint ${savepoint}`.execute(trx);
  let value: T;
  try {
    value = await work(trx);
  } catch (error) {
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    return { ok: false, error };
  }
  await sql`release savepoint ${savepoint}`.execute(trx);
  return { ok: true, value };
}
