import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { PG_URL, useFreshDatabase } from "../testing/dialects.js";
import { POSTGRES_CONNECT_TIMEOUT_MS } from "./open-postgres.js";

/** pg's default pool size: every connection is busy once this many queries run at once. */
const POOL_SIZE = 10;

describe.runIf(PG_URL !== undefined)("a burst of queries on PostgreSQL", { timeout: 60_000 }, () => {
  const fresh = useFreshDatabase("postgres");

  it("queues for a pooled connection longer than the opening's connect timeout, rather than failing", async () => {
    const { db } = fresh();
    // Every pooled connection is held a little longer than opening waits for a connection.
    const holdSeconds = POSTGRES_CONNECT_TIMEOUT_MS / 1000 + 1;
    const holders = Array.from({ length: POOL_SIZE }, () => sql`select pg_sleep(${holdSeconds})`.execute(db));
    // This one waits in the pool's queue until a holder is done.
    const queued = sql<{ one: number }>`select 1 as one`.execute(db);
    await Promise.all(holders);
    expect((await queued).rows).toEqual([{ one: 1 }]);
  });
});
