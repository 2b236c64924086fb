import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { storageError } from "../storage-error.js";

/** What {@link probeWrite} found: the write went through, or the error it met. */
export type WriteProbe = { ok: true } | { ok: false; error: unknown };

const PROBE = { kind: "patternloop", source: "write probe" } as const;

/** With `waitMs`, how long the probe waits before it reports the database busy, and how it names the database. */
export interface ProbeLimit {
  readonly waitMs: number;
  readonly url: string;
}

/**
 * Whether the database takes a write right now: one transaction that inserts a row and deletes it again,
 * then commits, so nothing changes but the commit really reaches the disk. A rolled-back write would not
 * do: on a full disk SQLite's WAL keeps it in memory and the rollback succeeds, only a commit writes the
 * log and meets `SQLITE_FULL`. A read-only file, a busy lock (after the busy timeout) or a lost server
 * fail it too. With a `limit`, a probe still waiting (for another process's lock) after `limit.waitMs` is
 * reported busy; it goes on in the background, where it changes nothing whether it commits or fails. A
 * health check that took the full lock wait would outlast its caller's timeout. Its error is returned, not thrown: for a health check, a failure is an answer.
 */
export async function probeWrite(db: Kysely<Database>, limit?: ProbeLimit): Promise<WriteProbe> {
  const probe = db
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto("ingest_sources").values(PROBE).execute();
      await trx
        .deleteFrom("ingest_sources")
        .where("kind", "=", PROBE.kind)
        .where("source", "=", PROBE.source)
        .execute();
    })
    .then(
      (): WriteProbe => ({ ok: true }),
      (error: unknown): WriteProbe => ({ ok: false, error }),
    );
  if (limit === undefined) return probe;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<WriteProbe>((resolve) => {
    timer = setTimeout(() => {
      const cause = new Error("database is locked");
      resolve({ ok: false, error: storageError("busy", limit.url, cause, `${limit.waitMs / 1000} s`) });
    }, limit.waitMs);
  });
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
