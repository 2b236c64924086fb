import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import { backfilledHistory, HISTORY, ingestedHistory } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { createSqlite } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

const COMMANDS = [["backfill"], ["analyze", "summary"], ["analyze", "top"], ["check"]];
const EACH_COMMAND = COMMANDS.map((command) => [command.join(" "), command] as const);

/** Runs `args` in `directory` and checks that no file there was created, deleted or modified. */
function refuseInPlace(directory: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const before = snapshotDirectory(directory);
  const run = runCli(args, { cwd: directory, env });
  expect(snapshotDirectory(directory), `files after patternloop ${args.join(" ")}`).toEqual(before);
  return run;
}

describe("bad input is refused with one line, exit code 2, and nothing touched", { timeout: 60_000 }, () => {
  it.each(EACH_COMMAND)("%s: a missing SQLite file is not created", (_name, command) => {
    const directory = tempDirectory();
    const path = join(directory, "history.db");
    const run = refuseInPlace(directory, [...command, "--db", path]);
    expectRefusal(run, `no SQLite database at ${path}`);
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it("a relative path is resolved against the working directory and named in full", () => {
    const directory = tempDirectory();
    const run = refuseInPlace(directory, ["check", "--db", "typo.db"]);
    expectRefusal(run, `no SQLite database at ${join(directory, "typo.db")}`);
  });

  it.each(EACH_COMMAND)("%s: a text file is left byte for byte, with no -wal or -shm", (_name, command) => {
    const directory = tempDirectory();
    const path = join(directory, "notes.db");
    writeFileSync(path, "these are my notes, not a database\n");
    const run = refuseInPlace(directory, [...command, "--db", path]);
    expectRefusal(run, `${path} is not an SQLite database`);
  });

  it("an empty file stays empty", () => {
    const directory = tempDirectory();
    const path = join(directory, "empty.db");
    writeFileSync(path, "");
    expectRefusal(refuseInPlace(directory, ["backfill", "--db", path]), `${path} is an empty file`);
  });

  it.each(["delete", "wal"])(
    "an SQLite database without workflow_history (journal mode %s) is refused unchanged",
    (mode) => {
      const directory = tempDirectory();
      const path = join(directory, "other.db");
      createSqlite(
        path,
        `PRAGMA journal_mode = ${mode}; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO notes (body) VALUES ('keep me');`,
      );
      for (const command of COMMANDS) {
        const run = refuseInPlace(directory, [...command, "--db", path]);
        expectRefusal(run, `${path} has no workflow_history table`);
      }
    },
  );

  it("ingest refuses a --db that is not SQLite and leaves it as it was", () => {
    const directory = tempDirectory();
    const path = join(directory, "notes.txt");
    writeFileSync(path, "not a database");
    const run = refuseInPlace(directory, ["ingest", "workflows", HISTORY, "--db", path]);
    expectRefusal(run, `${path} is not an SQLite database`);
  });

  it("ingest refuses a --db in a directory that does not exist", () => {
    const directory = tempDirectory();
    const path = join(directory, "no-such-dir", "history.db");
    const run = refuseInPlace(directory, ["ingest", "workflows", HISTORY, "--db", path]);
    expectRefusal(run, `directory ${join(directory, "no-such-dir")} does not exist`);
  });

  it("an unknown URL scheme is named", () => {
    const directory = tempDirectory();
    for (const command of COMMANDS) {
      const run = refuseInPlace(directory, [...command, "--db", "mysql://x/y"]);
      expectRefusal(run, 'unsupported database URL scheme "mysql:"');
    }
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it("an unreachable PostgreSQL server is named, its password hidden", () => {
    const directory = tempDirectory();
    const url = "postgres://postgres:postgres@127.0.0.1:1/x";
    for (const command of [...COMMANDS, ["ingest", "workflows", HISTORY]]) {
      const run = refuseInPlace(directory, [...command, "--db", url]);
      expectRefusal(run, "cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/x");
      expect(run.stderr).not.toContain("postgres:postgres@");
    }
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it.each([
    ["postgres://u:pa@ss@127.0.0.1:1/x", "cannot reach PostgreSQL at postgres://u:***@127.0.0.1:1/x"],
    ["postgres://u:se/cr?et@127.0.0.1:1/x", "invalid PostgreSQL URL postgres://u:***@127.0.0.1:1/x"],
  ])("a password holding @, / or ? is hidden whole: %s", (url, message) => {
    const run = refuseInPlace(tempDirectory(), ["check", "--db", url]);
    expectRefusal(run, message);
    expect(run.stderr).not.toMatch(/pa@|ss@|se\/|cr\?|et@/);
  });

  it.each([
    ["backfill", "0"],
    ["backfill", "abc"],
    ["backfill", "-3"],
    ["backfill", "1.5"],
    ["analyze top", "0"],
    ["analyze high-value", "abc"],
    ["analyze recent", "0"],
  ])("%s --limit %s is refused and the database is unchanged", (command, limit) => {
    const { directory, path } = backfilledHistory();
    const run = refuseInPlace(directory, [...command.split(" "), "--db", path, "--limit", limit]);
    expectRefusal(run, `--limit takes a whole number of 1 or more, not "${limit}"`);
  });

  it.each(EACH_COMMAND)("%s without --db or PATTERNLOOP_DB says how to name a database", (_name, command) => {
    const directory = tempDirectory();
    const run = refuseInPlace(directory, command, { PATTERNLOOP_DB: undefined });
    expectRefusal(run, "no database: pass --db URL");
    expect(run.stderr).toContain("PATTERNLOOP_DB");
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it.each(["", "  "])("an empty PATTERNLOOP_DB (%j) counts as none", (value) => {
    const directory = tempDirectory();
    const run = refuseInPlace(directory, ["check"], { PATTERNLOOP_DB: value });
    expectRefusal(run, "no database: pass --db URL");
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it("PATTERNLOOP_DB is used when --db is not given", () => {
    const { directory, path } = backfilledHistory();
    const run = runCli(["analyze", "summary", "--json"], {
      cwd: directory,
      env: { PATTERNLOOP_DB: path },
    });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).total_patterns).toBe(5);
  });

  it.each(["no:such:pattern", "999", "test:pytest"])(
    "analyze details %s names the unknown pattern",
    (pattern) => {
      const { directory, path } = backfilledHistory();
      const run = refuseInPlace(directory, ["analyze", "details", pattern, "--db", path]);
      expectRefusal(run, `no pattern "${pattern}"`);
    },
  );

  it("ingest workflows of a missing file names it and creates no database", () => {
    const directory = tempDirectory();
    const missing = join(directory, "runs.jsonl");
    const run = refuseInPlace(directory, ["ingest", "workflows", missing, "--db", "history.db"]);
    expectRefusal(run, `file not found: ${missing}`);
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it("ingest workflows of a missing file leaves an existing database as it was", () => {
    const { directory, path } = ingestedHistory();
    const run = refuseInPlace(directory, ["ingest", "workflows", "missing.jsonl", "--db", path]);
    expectRefusal(run, "file not found: missing.jsonl");
  });
});
