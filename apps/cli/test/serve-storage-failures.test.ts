import { readFileSync } from "node:fs";
import { join } from "node:path";
import { holdWriteLock, makeReadOnly, smallDisk } from "@patternloop/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type CliRun, runCliAsync } from "./run-cli.js";
import { createSqlite } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

const ENV = { PATTERNLOOP_TOKEN: "serve-storage-token-91a3" };

/**
 * An SQLite file patternloop has not set up yet: `serve` must write its tables at start-up. (A history it
 * set up already is only read at start-up, and a failing disk shows on the first write request.)
 */
function unmigratedFile(directory: string): string {
  const path = join(directory, "history.db");
  createSqlite(path, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept');");
  return path;
}

/** `serve` on a free port; it is expected to stop by itself. */
function serve(path: string): Promise<CliRun> {
  return runCliAsync(["serve", "--db", path, "--port", "0"], { env: ENV });
}

/** Exit code 1 (the database failed, the command line was right) and one line on stderr, no stack. */
function expectOneLine(run: CliRun, line: string): void {
  expect(run.stderr).toBe(`patternloop: ${line}\n`);
  expect(run.stdout).toBe("");
  expect(run.status).toBe(1);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe("patternloop serve on a database that fails at start-up", { timeout: 150_000 }, () => {
  it("busy (another process holds its write lock): exit 1, one line, nothing written", async () => {
    const path = unmigratedFile(tempDirectory());
    const before = readFileSync(path);
    const lock = await holdWriteLock(path);
    let run: CliRun;
    try {
      run = await serve(path);
    } finally {
      await lock.release();
    }
    expectOneLine(
      run,
      `database is busy: another process holds its write lock (sqlite:${path}, waited 10 s: database is locked); try again once it is done`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("read-only: exit 1, one line", async () => {
    const path = unmigratedFile(tempDirectory());
    const readOnly = makeReadOnly(path);
    cleanups.push(() => readOnly.restore());
    expectOneLine(
      await serve(path),
      `cannot write sqlite:${path}: it is read-only (attempt to write a readonly database)`,
    );
  });

  it("on a full disk: exit 1, one line", async (context) => {
    const disk = smallDisk(4096);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const path = unmigratedFile(disk.directory);
    disk.fill();
    expectOneLine(
      await serve(path),
      `cannot write sqlite:${path}: the disk is full (database or disk is full)`,
    );
  });
});
