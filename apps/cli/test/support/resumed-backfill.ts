import { copyFileSync, existsSync } from "node:fs";
import { expect } from "vitest";
import { runCli } from "../run-cli.js";
import type { StatisticsDump } from "./resume-dump.js";

/** Copies an SQLite file closed by its last writer, with its write-ahead log if one was left behind. */
export function copySqlite(from: string, to: string): string {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
  return to;
}

/**
 * Reruns the backfill of an interrupted database and expects it to record exactly the runs the interrupted
 * one had left (`alreadyProcessed` of `runs` were recorded before), without errors.
 */
export function rerunBackfill(db: string, runs: number, alreadyProcessed: number): void {
  const rerun = runCli(["backfill", "--db", db, "--json"]);
  expect(rerun.status, rerun.stderr).toBe(0);
  expect(JSON.parse(rerun.stdout)).toMatchObject({
    processed: runs - alreadyProcessed,
    already_processed: alreadyProcessed,
    errors: 0,
  });
}

/** Expects two dumps to hold the same patterns and occurrences; names the first occurrence that differs. */
export function expectSameStatistics(actual: StatisticsDump, expected: StatisticsDump): void {
  expect(actual.patterns).toEqual(expected.patterns);
  expect(actual.occurrences.length).toBe(expected.occurrences.length);
  const differs = expected.occurrences.findIndex((row, index) => actual.occurrences[index] !== row);
  expect(
    differs === -1
      ? undefined
      : { row: differs, expected: expected.occurrences[differs], actual: actual.occurrences[differs] },
  ).toBeUndefined();
}
