import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, type PatternloopDatabase } from "./create-database.js";
import { PatternloopDbError } from "./patternloop-db-error.js";
import type { Database } from "./schema/database.js";
import { freshUrl, PG_URL, testDirectory, useFreshDatabase } from "./testing/dialects.js";
import { holdWriteLock, makeReadOnly, smallDisk } from "./testing/storage-faults.js";

const source = (n: number) => ({ kind: "test", source: `source-${n}`, offset_bytes: n });

/** Stores one `ingest_sources` row in a transaction of its own. */
const writeOne = (db: Kysely<Database>, n: number) =>
  db.transaction().execute((trx) => trx.insertInto("ingest_sources").values(source(n)).execute());

const sources = async (db: Kysely<Database>) =>
  Number(
    (
      await db
        .selectFrom("ingest_sources")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The rejection of `work`, which must be a PatternloopDbError. */
async function dbErrorOf(work: Promise<unknown>): Promise<PatternloopDbError> {
  const error = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(PatternloopDbError);
  return error as PatternloopDbError;
}

describe("storage failures on sqlite", { timeout: 60_000 }, () => {
  const fresh = useFreshDatabase("sqlite");
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("a transaction SQLite ended itself fails with its own error, not 'cannot rollback'", async () => {
    const { db } = fresh();
    // RAISE(ROLLBACK) ends the whole transaction inside SQLite, as SQLITE_FULL at a commit does.
    await sql`create temp trigger refuse before insert on ingest_sources
      begin select raise(rollback, 'refused by the trigger'); end`.execute(db);
    await expect(writeOne(db, 1)).rejects.toThrow(/^refused by the trigger$/);
    await sql`drop trigger temp.refuse`.execute(db);
    await writeOne(db, 2);
    expect(await sources(db)).toBe(1);
  });

  it("a write lock held by another process is one `busy` line once the busy timeout is over", async () => {
    const { db, url } = fresh();
    await writeOne(db, 1);
    const lock = await holdWriteLock(url);
    cleanups.push(() => lock.release());
    await sql`pragma busy_timeout = 200`.execute(db);
    const error = await dbErrorOf(writeOne(db, 2));
    expect(error.code).toBe("busy");
    expect(error.message).toBe(
      `database is busy: another process holds its write lock (sqlite:${url}, waited 0.2 s: database is locked); try again once it is done`,
    );
    await lock.release();
    await writeOne(db, 3);
    expect(await sources(db)).toBe(2);
  });

  it("a file at its size limit is `disk_full`; the rows before stay and the file is whole", async () => {
    const { db } = fresh();
    await writeOne(db, 1);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count}`).execute(db);
    const big = "x".repeat(100_000);
    const error = await dbErrorOf(
      db.transaction().execute((trx) =>
        trx
          .insertInto("ingest_sources")
          .values({ ...source(2), content_hash: big })
          .execute(),
      ),
    );
    expect(error.code).toBe("disk_full");
    expect(error.message).toMatch(/^cannot write sqlite:\S+: the disk is full \(database or disk is full\)$/);
    expect(await sources(db)).toBe(1);
    const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(check).toEqual([{ integrity_check: "ok" }]);
  });

  it("a full disk at commit is `disk_full`, not 'cannot rollback', and the file is whole", async (context) => {
    const disk = smallDisk(1024);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const path = join(disk.directory, "history.db");
    const database = await createDatabase(path, { create: true });
    cleanups.push(() => database.close());
    await writeOne(database.db, 1);
    disk.fill();
    const error = await dbErrorOf(writeOne(database.db, 2));
    expect(error.code).toBe("disk_full");
    expect(error.message).toBe(`cannot write sqlite:${path}: the disk is full (database or disk is full)`);
    disk.empty();
    expect(await sources(database.db)).toBe(1);
    await writeOne(database.db, 3);
    expect(await sources(database.db)).toBe(2);
  });

  it("a disk too full to open the file on is `disk_full`, though SQLite says 'disk I/O error'", async (context) => {
    const disk = smallDisk(1024);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const path = join(disk.directory, "history.db");
    await (await createDatabase(path, { create: true })).close();
    disk.fill();
    const error = await dbErrorOf(createDatabase(path));
    expect(error.code).toBe("disk_full");
    expect(error.message).toBe(`cannot write sqlite:${path}: the disk is full (disk I/O error)`);
  });

  it("a read-only file is `read_only`", async () => {
    const { url, handle } = fresh();
    await writeOne(handle.db, 1);
    await handle.close();
    const path = join(await testDirectory(), "read-only.db");
    copyFileSync(url, path);
    const readOnly = makeReadOnly(path);
    cleanups.push(() => readOnly.restore());
    const database = await createDatabase(path);
    cleanups.push(() => database.close());
    expect(await sources(database.db)).toBe(1);
    const error = await dbErrorOf(writeOne(database.db, 2));
    expect(error.code).toBe("read_only");
    expect(error.message).toMatch(
      /^cannot write sqlite:\S+: it is read-only \(attempt to write a readonly database\)$/,
    );
  });

  it("a database on a read-only mount is `read_only`, naming the read-only file system", async (context) => {
    // A read-only mount needs root; chmod is no stand-in (root ignores it, and it is not a mount).
    if (process.getuid?.() !== 0) return context.skip("a read-only bind mount needs root");
    const { url, handle } = fresh();
    await writeOne(handle.db, 1);
    await handle.close();
    const directory = join(await testDirectory(), "read-only-mount");
    mkdirSync(directory);
    const path = join(directory, "history.db");
    copyFileSync(url, path);
    const readOnly = makeReadOnly(directory);
    cleanups.push(() => readOnly.restore());
    // SQLite alone says "unable to open database file": it cannot create the -shm file beside it.
    const existing = await dbErrorOf(createDatabase(path));
    expect(existing.code).toBe("read_only");
    expect(existing.message).toBe(
      `cannot open SQLite database ${path}: its file system is read-only (unable to open database file)`,
    );
    const created = await dbErrorOf(createDatabase(join(directory, "new.db"), { create: true }));
    expect(created.code).toBe("read_only");
    expect(created.message).toBe(
      `cannot open SQLite database ${join(directory, "new.db")}: directory ${directory} is on a read-only file system (unable to open database file)`,
    );
  });

  it("a constraint violation is not a storage failure: it stays the driver's error", async () => {
    const { db } = fresh();
    await writeOne(db, 1);
    const error = await writeOne(db, 1).catch((error: unknown) => error);
    expect(error).not.toBeInstanceOf(PatternloopDbError);
    expect(error).toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
  });
});

describe.skipIf(PG_URL === undefined)("storage failures on postgres", { timeout: 60_000 }, () => {
  const opened: PatternloopDatabase[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
  });
  const open = async (options: string) => {
    const url = await freshUrl("postgres");
    opened.push(await createDatabase(url, { create: true }));
    const database = await createDatabase(`${url}&options=${encodeURIComponent(options)}`);
    opened.push(database);
    return { url, database };
  };

  it("a lock held past lock_timeout is `busy`", async () => {
    const { url, database } = await open("-c lock_timeout=200ms");
    const schema = new URL(url).searchParams.get("schema");
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query(`lock table "${schema}".ingest_sources in access exclusive mode`);
      const error = await dbErrorOf(writeOne(database.db, 1));
      expect(error.code).toBe("busy");
      expect(error.message).toMatch(
        /^database is busy: another process holds its write lock \(postgres:\/\/\S+: canceling statement due to lock timeout\)/,
      );
    } finally {
      await holder.end();
    }
  });

  it("a read-only server is `read_only`", async () => {
    const { database } = await open("-c default_transaction_read_only=on");
    const error = await dbErrorOf(writeOne(database.db, 1));
    expect(error.code).toBe("read_only");
    expect(error.message).toMatch(
      /^cannot write postgres:\/\/\S+: it is read-only \(.*read-only transaction\)$/,
    );
  });
});
