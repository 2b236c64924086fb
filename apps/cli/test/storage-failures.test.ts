import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, openSync } from "node:fs";
import { join } from "node:path";
import { holdWriteLock, makeReadOnly, smallDisk } from "@patternloop/db/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliRun, fixture, runCli, runCliAsync } from "./run-cli.js";
import { backfilledHistory, ingestedHistory } from "./support/history.js";
import { openSqlite, query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

const HOOKS = fixture("transcripts/hook-logs/hook-events.jsonl");
const PROJECTS = fixture("transcripts/projects");
let RUNS_500 = "";

/** Each command that writes, with the history it starts from (`backfill` needs runs not backfilled yet). */
const COMMANDS: readonly [string, () => string, (db: string) => string[]][] = [
  ["ingest workflows (500 runs)", history, (db) => ["ingest", "workflows", RUNS_500, "--db", db]],
  ["ingest hooks", history, (db) => ["ingest", "hooks", HOOKS, "--db", db]],
  ["ingest claude-code", history, (db) => ["ingest", "claude-code", "--dir", PROJECTS, "--db", db]],
  [
    "review deprecate",
    history,
    (db) => ["review", "deprecate", "git:diff:summary", "--by", "alice", "--db", db],
  ],
  ["backfill", () => ingestedHistory().path, (db) => ["backfill", "--db", db]],
];

function history(): string {
  return backfilledHistory().path;
}

/** Whether the file is whole, and how many rows each table holds. */
function stateOf(path: string) {
  const tables = query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map(
    (row) => row.name as string,
  );
  return {
    integrity: query(path, "PRAGMA integrity_check"),
    rows: Object.fromEntries(
      tables.map((table) => [table, query(path, `SELECT count(*) AS n FROM "${table}"`)[0]?.n]),
    ),
  };
}

/** One line on stderr that names the failure, no stack frame, nothing on stdout, exit code 1. */
function expectOneLine(run: CliRun, line: string): void {
  expect(run.stderr).not.toContain("    at ");
  expect(run.stderr).toBe(`patternloop: ${line}\n`);
  expect(run.stdout).toBe("");
  expect(run.status).toBe(1);
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(() => {
  RUNS_500 = join(tempDirectory(), "runs-500.jsonl");
  // Straight into the file: two megabytes are more than a child's output buffer holds.
  const out = openSync(RUNS_500, "w");
  try {
    const generated = spawnSync(process.execPath, [BIN, "generate", "--runs", "500"], {
      stdio: ["ignore", out, "pipe"],
    });
    expect(generated.status, generated.stderr.toString()).toBe(0);
  } finally {
    closeSync(out);
  }
});

describe("a database another process holds the write lock of", { timeout: 120_000 }, () => {
  // Each command waits the 10 s busy timeout once: side by side, on files of their own.
  it.concurrent.for(COMMANDS)("%s: one line saying it is busy, nothing written", async ([, start, args]) => {
    const path = start();
    const before = stateOf(path);
    const lock = await holdWriteLock(path);
    let run: CliRun;
    try {
      run = await runCliAsync(args(path));
    } finally {
      await lock.release();
    }
    expectOneLine(
      run,
      `database is busy: another process holds its write lock (sqlite:${path}, waited 10 s: database is locked); try again once it is done`,
    );
    expect(stateOf(path)).toEqual(before);
    expect(before.integrity).toEqual([{ integrity_check: "ok" }]);
  });
});

describe("a read-only database file", { timeout: 60_000 }, () => {
  it.for(COMMANDS)("%s: one line saying it is read-only, the file unchanged", ([, start, args]) => {
    const path = start();
    const before = stateOf(path);
    const readOnly = makeReadOnly(path);
    cleanups.push(() => readOnly.restore());
    const run = runCli(args(path));
    expectOneLine(run, `cannot write sqlite:${path}: it is read-only (attempt to write a readonly database)`);
    readOnly.restore();
    cleanups.pop();
    expect(stateOf(path)).toEqual(before);
  });
});

describe("a database on a full disk", { timeout: 60_000 }, () => {
  it.for(COMMANDS)("%s: one line saying the disk is full, the file whole", ([, start, args], context) => {
    const disk = smallDisk(4096);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const path = join(disk.directory, "history.db");
    copyFileSync(start(), path);
    const before = stateOf(path);
    // Another connection keeps the -wal and -shm files there while the disk fills, as a running server would.
    const other = openSqlite(path);
    cleanups.push(() => other.close());
    other.prepare("SELECT count(*) FROM workflow_history").get();
    disk.fill();
    const run = runCli(args(path));
    expectOneLine(run, `cannot write sqlite:${path}: the disk is full (database or disk is full)`);
    disk.empty();
    expect(stateOf(path)).toEqual(before);
  });
});
