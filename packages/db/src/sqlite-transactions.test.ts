import BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase } from "./create-database.js";
import { migrationProvider } from "./migrations/migration-provider.js";
import type { Database } from "./schema/database.js";
import { forkInLockStep } from "./test-support/lock-step.js";
import { useFreshDatabase } from "./testing/dialects.js";

/** A raw second connection that fails at once instead of waiting for a lock. */
function impatientConnection(path: string): BetterSqlite3.Database {
  return new BetterSqlite3(path, { timeout: 0 });
}

const WRITER = new URL("./test-support/concurrent-writer.ts", import.meta.url);

/** Runs `count` writer processes on one file, opening it at the same moment, then writing at the same moment. */
async function runWriters(args: string[], count: number): Promise<void> {
  for (const { code, output } of await forkInLockStep(
    WRITER,
    Array.from({ length: count }, () => args),
    2,
  )) {
    expect(output).not.toMatch(/SQLITE_BUSY|locked/i);
    expect(code).toBe(0);
  }
}

async function counter(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("ingest_sources")
    .select("offset_bytes")
    .where("kind", "=", "test")
    .where("source", "=", "counter")
    .executeTakeFirstOrThrow();
  return row.offset_bytes;
}

describe("transactions on sqlite", () => {
  const fresh = useFreshDatabase("sqlite");

  it("take the write lock at BEGIN, before their first write", async () => {
    const { db, url } = fresh();
    const other = impatientConnection(url);
    try {
      await db.transaction().execute(async (trx) => {
        await trx.selectFrom("workflow_history").select("id").execute();
        // Only a read so far: a deferred BEGIN would hold no write lock yet.
        expect(() => other.exec("begin immediate")).toThrow(/locked|busy/i);
      });
      other.exec("begin immediate");
      other.exec("rollback");
    } finally {
      other.close();
    }
  });

  it("begin deferred when marked read only, so readers do not queue behind writers", async () => {
    const { db, url } = fresh();
    const other = impatientConnection(url);
    try {
      await db
        .transaction()
        .setAccessMode("read only")
        .execute(async (trx) => {
          await trx.selectFrom("workflow_history").select("id").execute();
          other.exec("begin immediate");
          other.exec("rollback");
        });
    } finally {
      other.close();
    }
  });

  it("let two processes write one file concurrently without SQLITE_BUSY or lost updates", async () => {
    const { db, url } = fresh();
    const rounds = 40;
    await runWriters([url, String(rounds)], 2);
    expect(await counter(db)).toBe(2 * rounds);
  }, 30_000);

  it("let several processes create and migrate one new file at the same moment", async () => {
    const { url } = fresh();
    const path = `${url}-shared.db`;
    await runWriters([path, "5", "create"], 3);
    const opened = await createDatabase(path);
    try {
      expect(await counter(opened.db)).toBe(15);
      const migrations = await opened.db
        .selectFrom("kysely_migration" as never)
        .selectAll()
        .execute();
      expect(migrations).toHaveLength(Object.keys(await migrationProvider.getMigrations()).length);
    } finally {
      await opened.close();
    }
    // Three processes that each start and load the package: over 30 s on a busy 2-core machine.
  }, 120_000);
});
