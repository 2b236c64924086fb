import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import { backfilledHistory } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { withSqlite } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

describe("every numeric option is checked before anything runs", { timeout: 60_000 }, () => {
  it.each([
    [
      "analyze top",
      "--limit",
      "99999999999999999999",
      `--limit takes a whole number of 1 or more (at most 9007199254740991), not "99999999999999999999"`,
    ],
    ["analyze top", "--limit", "1e3", `--limit takes a whole number of 1 or more, not "1e3"`],
    ["analyze high-value", "--limit", "", `--limit takes a whole number of 1 or more, not ""`],
    [
      "analyze trend",
      "--days",
      "9999999999",
      `--days takes a whole number from 1 to 36500, not "9999999999"`,
    ],
    [
      "analyze reliable",
      "--min-occurrences",
      "-1",
      `--min-occurrences takes a whole number of 0 or more, not "-1"`,
    ],
    ["analyze accuracy", "--limit", "2.0", `--limit takes a whole number of 1 or more, not "2.0"`],
    ["backfill", "--limit", "0x10", `--limit takes a whole number of 1 or more, not "0x10"`],
    ["serve", "--port", "65536", `--port takes a whole number from 0 to 65535, not "65536"`],
  ])(
    "%s %s %j: one line naming the option, exit 2, the database unchanged",
    (command, option, value, message) => {
      const { directory, path } = backfilledHistory();
      const before = snapshotDirectory(directory);
      const run = runCli([...command.split(" "), "--db", path, option, value]);
      expectRefusal(run, message);
      expect(snapshotDirectory(directory)).toEqual(before);
    },
  );

  it.each([
    [
      ["--runs", "99999999999999999999"],
      `--runs takes a whole number of 0 or more (at most 9007199254740991)`,
    ],
    [["--runs", ""], `--runs takes a whole number of 0 or more, not ""`],
    [
      ["--runs", "1", "--seed", "4294967296"],
      `--seed takes a whole number from 0 to 4294967295, not "4294967296"`,
    ],
    [["--runs", "1", "--days", "1e308"], `--days takes a positive number of at most 36500, not "1e308"`],
  ])("generate %j: one line, exit 2, no output", (args, message) => {
    expectRefusal(runCli(["generate", ...args]), message);
  });
});

describe("failures that are not bad input are one line too", { timeout: 60_000 }, () => {
  it("demo --db <a directory>: one line naming it, exit 2, the directory untouched", () => {
    const directory = join(tempDirectory(), "a-directory");
    mkdirSync(directory);
    const run = runCli(["demo", "--db", directory]);
    expect(run.stderr).not.toContain("    at ");
    expect(run.stderr).toMatch(/^patternloop: [^\n]+\n$/);
    expect(run.stderr).toContain(directory);
    expect(run.status).toBe(2);
    expect(snapshotDirectory(directory)).toEqual({});
  });

  it("an unexpected error is one line with a hint; PATTERNLOOP_DEBUG=1 adds its stack", () => {
    const { path } = backfilledHistory();
    withSqlite(path, (database) =>
      database.exec("PRAGMA foreign_keys = OFF; DROP TABLE operation_patterns;"),
    );
    const run = runCli(["analyze", "top", "--db", path]);
    expect(run.stderr).toBe(
      "patternloop: unexpected error: no such table: operation_patterns (PATTERNLOOP_DEBUG=1 prints the stack)\n",
    );
    expect(run.status).toBe(1);
    const debug = runCli(["analyze", "top", "--db", path], { env: { PATTERNLOOP_DEBUG: "1" } });
    expect(debug.stderr).toMatch(
      /^patternloop: unexpected error: no such table: operation_patterns\nSqliteError: /,
    );
    expect(debug.stderr).toContain("    at ");
    expect(debug.status).toBe(1);
  });
});
