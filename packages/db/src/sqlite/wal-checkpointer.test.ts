import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDatabase } from "../create-database.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import { newWorkflow } from "../test-support/fixtures.js";
import { makeReadOnly } from "../testing/storage-faults.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";

const directory = mkdtempSync(join(tmpdir(), "patternloop-checkpointer-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(directory, `history-${files++}.sqlite`);

/** Runs of about 4 KB each, one transaction apiece: a page of the file each, and far fewer than the 1,000 pages of log after which SQLite checkpoints by itself. */
async function writeRuns(database: Awaited<ReturnType<typeof createDatabase>>, from: number, count: number) {
  for (let i = from; i < from + count; i++)
    await database.db
      .insertInto("workflow_history")
      .values(newWorkflow(`wf-${i}`, { nl_input: `run ${i} `.repeat(500) }))
      .execute();
}

// Starting a worker from the TypeScript sources takes a few seconds (it transpiles its modules first).
describe("background WAL checkpoints", { timeout: 60_000 }, () => {
  it("copy the log into the database file while the writer writes nothing more", async () => {
    const file = freshFile();
    const database = await createDatabase(file, { create: true, backgroundCheckpoints: { intervalMs: 5 } });
    try {
      const before = statSync(file).size;
      await writeRuns(database, 0, 100);
      // The writer's own checkpoint would wait for 1,000 pages: only the worker can grow the file.
      await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 50 * 4096), {
        timeout: 30_000,
        interval: 20,
      });
    } finally {
      await database.close();
    }
  });

  it("lose nothing while the writer commits between them, and close() leaves one whole file", async () => {
    const file = freshFile();
    const database = await createDatabase(file, { create: true, backgroundCheckpoints: { intervalMs: 1 } });
    await writeRuns(database, 0, 1_500);
    await database.close();
    // The worker closed first, so the writer's connection was the last and folded the log away.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new BetterSqlite3(file, { readonly: true });
    try {
      expect(reopened.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(reopened.prepare("select count(*) as n from workflow_history").get()).toEqual({ n: 1_500 });
    } finally {
      reopened.close();
    }
  });

  it("are off for :memory: and when the database is only read", async () => {
    const memory = await createDatabase(":memory:", { create: true, backgroundCheckpoints: {} });
    await memory.close();
    const file = freshFile();
    await (await createDatabase(file, { create: true })).close();
    const onError = vi.fn();
    const readOnly = await createDatabase(file, { migrate: false, backgroundCheckpoints: { onError } });
    await readOnly.close();
    expect(onError).not.toHaveBeenCalled();
  });

  it("report a file the worker cannot open through onError, and stop cleanly", async () => {
    const onError = vi.fn();
    const checkpointer = startWalCheckpointer(join(directory, "missing", "history.sqlite"), { onError });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1), { timeout: 30_000, interval: 20 });
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    expect(String(onError.mock.calls[0]?.[0].message)).toMatch(/open|directory|exist/i);
    await checkpointer.stop();
    await checkpointer.stop();
  });

  it("report a checkpoint that fails as the typed error that names it, in one line", async () => {
    const file = freshFile();
    // A writer that keeps its log: pages the worker must copy into a file it can only read.
    const writer = new BetterSqlite3(file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0");
    writer.exec("create table t (x); insert into t values (1)");
    const readOnly = makeReadOnly(file);
    const onError = vi.fn();
    const checkpointer = startWalCheckpointer(file, { onError, intervalMs: 5 });
    try {
      await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1), { timeout: 30_000, interval: 20 });
      const error = onError.mock.calls[0]?.[0];
      expect(error).toBeInstanceOf(PatternloopDbError);
      expect(error).toMatchObject({ code: "read_only" });
      expect(error.message).toMatch(new RegExp(`^cannot write ${file}: .*read-only.*\\(.+\\)$`));
      expect(error.message).not.toContain("[object Object]");
    } finally {
      await checkpointer.stop();
      // First: SQLite keeps the worker's descriptor of the file open while another connection of this
      // process still uses it, and the mount cannot go while it is open.
      writer.close();
      readOnly.restore();
    }
  });

  it.each([0, -5, 1.5, Number.NaN])("refuse an interval of %s ms", (intervalMs) => {
    expect(() => startWalCheckpointer(freshFile(), { intervalMs })).toThrow(
      /intervalMs must be a whole number of milliseconds ≥ 1/,
    );
  });
});
