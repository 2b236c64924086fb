import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { sha256, snapshotDirectory } from "./support/file-snapshot.js";
import { HISTORY, runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { startCli } from "./support/resume-cli.js";
import { tempDirectory } from "./support/temp-directory.js";

/** A complete database the demo built: its mark (SQLite's `application_id`, "pldm") set, its integrity ok. */
const isDemoDatabase = (path: string) =>
  existsSync(path) &&
  readFileSync(path).subarray(68, 72).toString("latin1") === "pldm" &&
  runCli(["check", "--db", path]).status === 0;

describe("patternloop demo", { timeout: 120_000 }, () => {
  it("builds its database, and replaces it when run again", () => {
    const directory = tempDirectory();
    const path = join(directory, "demo.sqlite");
    const first = runOk(["demo", "--db", path]);
    expect(first.stdout).toContain("Most valuable to script");
    expect(isDemoDatabase(path)).toBe(true);
    runOk(["demo", "--db", path]);
    expect(isDemoDatabase(path)).toBe(true);
    // Nothing but the database is left: no build file, no log.
    expect(readdirSync(directory)).toEqual(["demo.sqlite"]);
  });

  it("refuses to replace what it did not build: a text file, a directory, someone's history", () => {
    const directory = tempDirectory();
    const notes = join(directory, "notes.txt");
    writeFileSync(notes, "my notes\n");
    const empty = join(directory, "empty.sqlite");
    writeFileSync(empty, "");
    mkdirSync(join(directory, "folder"));
    const history = join(directory, "history.db");
    runOk(["ingest", "workflows", HISTORY, "--db", history]);
    const before = snapshotDirectory(directory);
    for (const [target, reason] of [
      [notes, "it is not an SQLite database"],
      [empty, "it is not an SQLite database"],
      [join(directory, "folder"), "it is a directory"],
      [history, "it is an SQLite database the demo did not build"],
    ] as const) {
      const run = runCli(["demo", "--db", target]);
      expectRefusal(run, `not replacing ${target}: ${reason}; demo only replaces a database it built`);
    }
    expect(snapshotDirectory(directory)).toEqual(before);
    expect(readdirSync(join(directory, "folder"))).toEqual([]);
  });

  it("never leaves a half-written database: killed mid-build, the previous one is intact", async () => {
    const directory = tempDirectory();
    const path = join(directory, "demo.sqlite");
    runOk(["demo", "--db", path]);
    const previous = sha256(path);
    // Killed once the sample is loaded, while the backfill runs.
    const killed = await startCli(["demo", "--db", path], (lines, child) => {
      if (lines >= 2) child.kill("SIGKILL");
    }).finished;
    expect(killed.signal).toBe("SIGKILL");
    // The kill may land after the new database took the old one's place, never in between.
    if (sha256(path) !== previous) expect(isDemoDatabase(path)).toBe(true);
    runOk(["demo", "--db", path]);
    expect(readdirSync(directory)).toEqual(["demo.sqlite"]);
  });
});
