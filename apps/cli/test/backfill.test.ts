import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import {
  backfilledHistory,
  HISTORY_OCCURRENCES,
  HISTORY_PATTERNS,
  HISTORY_RUNS,
  ingestedHistory,
  runJson,
  runOk,
  statisticsOf,
} from "./support/history.js";
import { PATTERN_COLUMNS } from "./support/pattern-columns.js";
import { query } from "./support/sqlite.js";

describe("patternloop backfill", { timeout: 60_000 }, () => {
  it("--json: processed, total, patterns detected, new patterns, errors and the top patterns", () => {
    const { path } = ingestedHistory();
    const report = runJson(["backfill", "--db", path]);
    expect(report).toMatchObject({
      dry_run: false,
      processed: HISTORY_RUNS,
      total: HISTORY_RUNS,
      patterns_detected: HISTORY_OCCURRENCES,
      new_patterns: Object.keys(HISTORY_PATTERNS).length,
      errors: 0,
    });
    expect(
      report.top.map((row: Record<string, unknown>) => [row.pattern_signature, row.occurrence_count]),
    ).toEqual(Object.entries(HISTORY_PATTERNS));
    for (const row of report.top) for (const column of PATTERN_COLUMNS) expect(row).toHaveProperty(column);
  });

  it("prints the closing summary and the top patterns on stdout, a line per run on request on stderr", () => {
    const { path } = ingestedHistory();
    const run = runOk(["backfill", "--db", path, "--verbose"]);
    const [first, second, replay, blank, title, header, ...rows] = run.stdout.split("\n");
    expect(first).toMatch(/^processed 12 of 12 runs in \d/);
    expect(second).toBe("patterns detected: 21, new patterns: 5, errors: 0");
    expect(replay).toMatch(/^predictions replayed in time order: \d+ for \d+ runs; new candidates: /);
    expect(blank).toBe("");
    expect(title).toBe("Top 5 patterns");
    expect(header?.split(/\s{2,}/).filter(Boolean)).toEqual([
      "pattern",
      "runs",
      "confidence",
      "avg tokens",
      "LLM cost/use",
      "savings/month",
      "status",
    ]);
    // The table ends at a blank line, before what the savings assume.
    expect(rows.slice(0, rows.indexOf("")).map((row) => row.split(/\s+/)[0])).toEqual(
      Object.keys(HISTORY_PATTERNS),
    );
    expect(rows.at(-2)).toMatch(/^Savings assume a script costs 5 % of the LLM cost per use/);
    const perRun = run.stderr.trim().split("\n");
    expect(perRun).toHaveLength(HISTORY_RUNS);
    expect(perRun).toContain("hist-09: no patterns");
    expect(
      perRun
        .find((line) => line.startsWith("hist-01: "))
        ?.split(": ")[1]
        ?.split(", ")
        .sort(),
    ).toEqual(["git:diff:summary", "test:pytest:backend"]);
  });

  it("twice is once: the second run processes nothing and every statistic stays byte for byte", () => {
    const { path } = ingestedHistory();
    runOk(["backfill", "--db", path]);
    const first = statisticsOf(path);
    expect(first.patterns).toHaveLength(5);
    expect(first.occurrences).toHaveLength(HISTORY_OCCURRENCES);
    const again = runJson(["backfill", "--db", path]);
    expect(again).toMatchObject({
      processed: 0,
      total: 0,
      already_processed: HISTORY_RUNS,
      patterns_detected: 0,
      new_patterns: 0,
      errors: 0,
    });
    expect(statisticsOf(path)).toEqual(first);
  });

  it("--limit N processes the N oldest runs; a later backfill finishes with the same result as one run", () => {
    const whole = statisticsOf(backfilledHistory().path);
    const { path } = ingestedHistory();
    expect(runJson(["backfill", "--db", path, "--limit", "4"])).toMatchObject({ processed: 4, total: 4 });
    expect(
      query(path, "SELECT COUNT(*) AS n FROM workflow_history WHERE patterns_processed_at IS NOT NULL"),
    ).toEqual([{ n: 4 }]);
    expect(runJson(["backfill", "--db", path])).toMatchObject({
      processed: HISTORY_RUNS - 4,
      already_processed: 4,
      errors: 0,
    });
    // Row ids follow the processing order; every statistic is the same.
    const withoutIds = (rows: Record<string, unknown>[]) =>
      rows.map(({ id: _id, pattern_id: _patternId, ...row }) => row);
    const resumed = statisticsOf(path);
    expect(withoutIds(resumed.patterns)).toEqual(withoutIds(whole.patterns));
    expect(withoutIds(resumed.occurrences)).toEqual(withoutIds(whole.occurrences));
  });

  it("--dry-run detects and reports but leaves the database file byte for byte", () => {
    const { directory, path } = ingestedHistory();
    const before = snapshotDirectory(directory);
    const report = runJson(["backfill", "--db", path, "--dry-run"]);
    expect(snapshotDirectory(directory)).toEqual(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(report).toMatchObject({
      dry_run: true,
      processed: HISTORY_RUNS,
      total: HISTORY_RUNS,
      patterns_detected: HISTORY_OCCURRENCES,
      new_patterns: 5,
      errors: 0,
    });
    expect(report.patterns_detected).toBeGreaterThan(0);
    expect(query(path, "SELECT COUNT(*) AS n FROM operation_patterns")).toEqual([{ n: 0 }]);

    const human = runOk(["backfill", "--db", path, "--dry-run"]);
    expect(human.stdout).toMatch(/^Dry run \(nothing written\): processed 12 of 12 runs/);
    expect(snapshotDirectory(directory)).toEqual(before);
  });

  it("--dry-run after a partial backfill reports the rest and still writes nothing", () => {
    const { directory, path } = ingestedHistory();
    runOk(["backfill", "--db", path, "--limit", "5"]);
    const before = snapshotDirectory(directory);
    const report = runJson(["backfill", "--db", path, "--dry-run"]);
    expect(report).toMatchObject({ dry_run: true, processed: 7, already_processed: 5, errors: 0 });
    expect(report.patterns_detected).toBeGreaterThan(0);
    expect(snapshotDirectory(directory)).toEqual(before);
  });

  it("the text summary of a backfill with nothing to do says so", () => {
    const { path } = backfilledHistory();
    const run = runCli(["backfill", "--db", path]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^processed 0 of 0 runs \(12 done by an earlier backfill\) in /);
  });
});
