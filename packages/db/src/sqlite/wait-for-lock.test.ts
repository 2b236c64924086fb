import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, type PatternloopDatabase } from "../create-database.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import { holdWriteLock } from "../testing/storage-faults.js";
import { ImmediateSqliteDialect } from "./immediate-sqlite-dialect.js";
import type { LockWait } from "./wait-for-lock.js";

const source = (n: number) => ({ kind: "test", source: `source-${n}`, offset_bytes: n });

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A migrated SQLite file opened with `lockWait` (default `async`), and its path. */
async function openAsync(
  lockWait: LockWait = "async",
): Promise<{ database: PatternloopDatabase; path: string }> {
  const directory = mkdtempSync(join(tmpdir(), "patternloop-lock-wait-"));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, "h.sqlite");
  const database = await createDatabase(path, { create: true, lockWait });
  cleanups.push(() => database.close());
  return { database, path };
}

/** What `work` settled with, as an event name pushed to `events`. */
function record(events: string[], name: string, work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => events.push(`${name} done`),
    (error: unknown) => {
      events.push(`${name} ${error instanceof PatternloopDbError ? error.code : "failed"}`);
      return error;
    },
  );
}

describe('lockWait: "async" on SQLite', { timeout: 60_000 }, () => {
  it("runs reads while a transaction and an autocommit write wait for another process's lock", async () => {
    const stop = new AbortController();
    const { database, path } = await openAsync({ endedBy: stop.signal });
    const { db } = database;
    const lock = await holdWriteLock(path);
    cleanups.push(() => lock.release());
    const events: string[] = [];
    const waiting = Promise.all([
      record(
        events,
        "transaction",
        db.transaction().execute((trx) => trx.insertInto("ingest_sources").values(source(1)).execute()),
      ),
      record(events, "autocommit", db.insertInto("ingest_sources").values(source(2)).execute()),
    ]);
    await record(events, "read", db.selectFrom("ingest_sources").selectAll().execute());
    stop.abort();
    await waiting;

    expect(events[0]).toBe("read done");
    expect(events.slice(1).sort()).toEqual(["autocommit busy", "transaction busy"]);
  });

  it("a write that waits takes the lock once the other process lets go", async () => {
    const { database, path } = await openAsync();
    const { db } = database;
    const lock = await holdWriteLock(path);
    const write = db
      .transaction()
      .execute((trx) => trx.insertInto("ingest_sources").values(source(1)).execute());
    await db.selectFrom("ingest_sources").selectAll().execute();
    await lock.release();
    await write;
    expect(await db.selectFrom("ingest_sources").select("source").execute()).toEqual([
      { source: "source-1" },
    ]);
  });

  it("a wait whose signal aborts gives up at once, before a full wait begun earlier runs out", async () => {
    const stop = new AbortController();
    const { database, path } = await openAsync({ endedBy: stop.signal });
    const other = await createDatabase(path, { lockWait: "async" });
    cleanups.push(() => other.close());
    const lock = await holdWriteLock(path);
    cleanups.push(() => lock.release());
    const events: string[] = [];
    const full = record(events, "full", other.db.insertInto("ingest_sources").values(source(1)).execute());
    // Puts the full wait's deadline well ahead of the other's; an order, never asserted as a duration.
    await sleep(500);
    const [fullError] = await Promise.all([
      full,
      (async () => {
        const ended = record(
          events,
          "ended",
          database.db.insertInto("ingest_sources").values(source(2)).execute(),
        );
        await record(events, "read", database.db.selectFrom("ingest_sources").selectAll().execute());
        stop.abort();
        await ended;
      })(),
    ]);
    expect(events).toEqual(["read done", "ended busy", "full busy"]);
    expect((fullError as Error).message).toBe(
      `database is busy: another process holds its write lock (sqlite:${path}, waited 10 s: database is locked); try again once it is done`,
    );
  });

  it("adds no statement when the lock is free", async () => {
    const statements = async (lockWait: "blocking" | "async") => {
      const run: string[] = [];
      const file = new BetterSqlite3(":memory:", { verbose: (text) => run.push(String(text)) });
      const db = new Kysely<{ t: { n: number } }>({
        dialect: new ImmediateSqliteDialect({ database: file, lockWait }),
      });
      await db.schema.createTable("t").addColumn("n", "integer").execute();
      run.length = 0;
      await db.transaction().execute((trx) => trx.insertInto("t").values({ n: 1 }).execute());
      await db.insertInto("t").values({ n: 2 }).execute();
      await db.selectFrom("t").selectAll().execute();
      await db.destroy();
      return run;
    };
    const blocking = await statements("blocking");
    expect(blocking).toHaveLength(5);
    expect(await statements("async")).toEqual(blocking);
  });
});
