import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { fixture, runCli } from "../run-cli.js";
import { query } from "./sqlite.js";
import { tempDirectory } from "./temp-directory.js";

/** Twelve runs (one failed, two without times) in the shape of the real-world workflow histories. */
export const HISTORY = fixture("history.jsonl");
export const HISTORY_RUNS = 12;

/** What detection finds in {@link HISTORY}: runs per signature (21 occurrences in all). */
export const HISTORY_PATTERNS: Record<string, number> = {
  "git:diff:summary": 7,
  "test:pytest:backend": 6,
  "build:typecheck:frontend": 5,
  "deps:npm:update": 2,
  "build:typecheck:all": 1,
};
export const HISTORY_OCCURRENCES = 21;

/** Runs the CLI and insists it succeeded, showing its stderr otherwise. */
export function runOk(args: string[], options: Parameters<typeof runCli>[1] = {}) {
  const run = runCli(args, options);
  expect(run.stderr, `patternloop ${args.join(" ")}`).not.toMatch(/unexpected error/);
  expect(run.status, `patternloop ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run;
}

/** Runs the CLI with `--json` and parses what it printed. */
// biome-ignore lint/suspicious/noExplicitAny: the shape is what each test asserts
export function runJson(args: string[], options: Parameters<typeof runCli>[1] = {}): any {
  return JSON.parse(runOk([...args, "--json"], options).stdout);
}

/** A new SQLite file holding {@link HISTORY}, not backfilled yet. */
export function ingestedHistory(): { directory: string; path: string } {
  ingested ??= buildHistory(false);
  return copyHistory(ingested);
}

/** A new SQLite file holding {@link HISTORY}, backfilled once. */
export function backfilledHistory(): { directory: string; path: string } {
  backfilled ??= buildHistory(true);
  return copyHistory(backfilled);
}

// Built once per test file through the CLI, then copied: each test gets its own file, cheaply.
let ingested: string | undefined;
let backfilled: string | undefined;

function buildHistory(backfill: boolean): string {
  const path = join(tempDirectory(), "template.db");
  runOk(["ingest", "workflows", HISTORY, "--db", path]);
  if (backfill) runOk(["backfill", "--db", path]);
  return path;
}

function copyHistory(template: string): { directory: string; path: string } {
  for (const suffix of ["-wal", "-shm", "-journal"]) {
    if (existsSync(`${template}${suffix}`))
      throw new Error(`${template}${suffix} is left after the CLI closed`);
  }
  const directory = tempDirectory();
  const path = join(directory, "history.db");
  copyFileSync(template, path);
  return { directory, path };
}

const WALL_CLOCK = ["created_at", "updated_at", "detected_at"];

function withoutWallClock(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !WALL_CLOCK.includes(k))));
}

/** Every statistics column of patterns and occurrences, without the wall-clock ones. */
export function statisticsOf(path: string) {
  return {
    patterns: withoutWallClock(query(path, "SELECT * FROM operation_patterns ORDER BY pattern_signature")),
    occurrences: withoutWallClock(
      query(
        path,
        `SELECT op.pattern_signature, po.* FROM pattern_occurrences po
         JOIN operation_patterns op ON op.id = po.pattern_id
         ORDER BY op.pattern_signature, po.workflow_id`,
      ),
    ),
  };
}
