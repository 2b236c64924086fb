import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "../create-database.js";
import { ENGINES, freshUrl, PG_URL, useFreshDatabase } from "../testing/dialects.js";
import { smallDisk } from "../testing/storage-faults.js";
import { probeWrite } from "./probe-write.js";

for (const engine of ENGINES) {
  describe(`probeWrite (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("commits a write that leaves nothing behind", async () => {
      const { db } = fresh();
      expect(await probeWrite(db)).toEqual({ ok: true });
      expect(await probeWrite(db)).toEqual({ ok: true });
      expect(await db.selectFrom("ingest_sources").selectAll().execute()).toEqual([]);
    });
  });
}

describe("probeWrite on storage that takes no write", { timeout: 60_000 }, () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("a full disk: disk_full, where a rolled-back write would still succeed", async (context) => {
    const disk = smallDisk(1024);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const path = join(disk.directory, "history.db");
    await (await createDatabase(path, { create: true })).close();
    // Opened again with an empty -wal: a write that is rolled back never reaches the disk.
    const database = await createDatabase(path);
    cleanups.push(() => database.close());
    disk.fill();
    const probe = await probeWrite(database.db);
    expect(probe).toMatchObject({ ok: false, error: { code: "disk_full" } });
  });

  it.skipIf(PG_URL === undefined)("a read-only PostgreSQL server: read_only", async () => {
    const url = await freshUrl("postgres");
    const created = await createDatabase(url, { create: true });
    cleanups.push(() => created.close());
    const readOnly = await createDatabase(
      `${url}&options=${encodeURIComponent("-c default_transaction_read_only=on")}`,
    );
    cleanups.push(() => readOnly.close());
    expect(await probeWrite(readOnly.db)).toMatchObject({ ok: false, error: { code: "read_only" } });
  });
});
