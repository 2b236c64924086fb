/**
 * A run's row locked on PostgreSQL by a transaction of the test's own, so that a server's completion of that
 * run waits for as long as the test wants. Exported as `@patternloop/db/testing`.
 */
import { sql } from "kysely";
import { createDatabase } from "../create-database.js";

export interface HeldRowLock {
  /** How many other sessions are waiting for this lock right now. */
  waiters(): Promise<number>;
  /** Ends the transaction (nothing was written), then closes the connections. */
  release(): Promise<void>;
}

/** Opens `url`, locks the `workflow_history` row of `workflowId` (SELECT … FOR UPDATE) and holds it. */
export async function lockRun(url: string, workflowId: string): Promise<HeldRowLock> {
  const database = await createDatabase(url);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holder: Promise<void> = Promise.resolve();
  const pid = await new Promise<number>((resolve, reject) => {
    holder = database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await trx
        .selectFrom("workflow_history")
        .select("workflow_id")
        .where("workflow_id", "=", workflowId)
        .forUpdate()
        .execute();
      resolve(rows[0]?.pid ?? 0);
      await released;
    });
    holder.catch(reject);
  });
  return {
    async waiters() {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))
      `.execute(database.db);
      return rows[0]?.n ?? 0;
    },
    async release() {
      release();
      await holder;
      await database.close();
    },
  };
}
