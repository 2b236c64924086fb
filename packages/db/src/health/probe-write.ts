import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { withLockWaitLimit } from "../sqlite/wait-for-lock.js";

/** What {@link probeWrite} found: the write went through, or the error it met. */
export type WriteProbe = { ok: true } | { ok: false; error: unknown };

const PROBE = { kind: "patternloop", source: "write probe" } as const;

/**
 * How long the probe waits for another process's write lock where the wait is asynchronous (a server on
 * SQLite): a health check that took the full 10 s would outlast its caller's timeout, and a lock held
 * that long is worth reporting as busy.
 */
const PROBE_LOCK_WAIT_MS = 1_000;

/**
 * Whether the database takes a write right now: one transaction that inserts a row and deletes it again,
 * then commits, so nothing changes but the commit really reaches the disk. A rolled-back write would not
 * do: on a full disk SQLite's WAL keeps it in memory and the rollback succeeds, only a commit writes the
 * log and meets `SQLITE_FULL`. A read-only file, a busy lock (after the busy timeout, or after 1 s where
 * the wait is asynchronous) or a lost server fail it too. Its error is returned, not thrown: for a health check, a failure is an answer.
 */
export async function probeWrite(db: Kysely<Database>): Promise<WriteProbe> {
  try {
    await withLockWaitLimit(PROBE_LOCK_WAIT_MS, () =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto("ingest_sources").values(PROBE).execute();
        await trx
          .deleteFrom("ingest_sources")
          .where("kind", "=", PROBE.kind)
          .where("source", "=", PROBE.source)
          .execute();
      }),
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}
