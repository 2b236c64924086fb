import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** What {@link probeWrite} found: the write went through, or the error it met. */
export type WriteProbe = { ok: true } | { ok: false; error: unknown };

const PROBE = { kind: "patternloop", source: "write probe" } as const;

/**
 * Whether the database takes a write right now: one transaction that inserts a row and deletes it again,
 * then commits, so nothing changes but the commit really reaches the disk. A rolled-back write would not
 * do: on a full disk SQLite's WAL keeps it in memory and the rollback succeeds, only a commit writes the
 * log and meets `SQLITE_FULL`. A read-only file, a busy lock (after the busy timeout) or a lost server
 * fail it too. Its error is returned, not thrown: for a health check, a failure is an answer.
 */
export async function probeWrite(db: Kysely<Database>): Promise<WriteProbe> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("ingest_sources").values(PROBE).execute();
      await trx
        .deleteFrom("ingest_sources")
        .where("kind", "=", PROBE.kind)
        .where("source", "=", PROBE.source)
        .execute();
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}
