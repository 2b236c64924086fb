import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { PG_URL } from "./support/postgres.js";
import { expectRefusal } from "./support/refusal.js";
import {
  FUTURE_FROM,
  FUTURE_PATTERN,
  RELEASE_MODAL_PATTERNS,
  RELEASE_MODAL_RUNS,
  RUNS_WITHOUT_TIMES,
  releaseModalDatabase,
  releaseModalPostgres,
} from "./support/release-modal-history.js";
import { tempDirectory } from "./support/temp-directory.js";

interface PatternFigures {
  signature: string;
  support: number;
  correct: number;
  false_positives: number;
  false_negatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

const bySignature = (patterns: PatternFigures[]) =>
  new Map(patterns.map((pattern) => [pattern.signature, pattern]));
const ratio = { precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number) };

describe("patternloop backtest", { timeout: 60_000 }, () => {
  let path: string;
  beforeAll(() => {
    path = releaseModalDatabase().path;
  }, 60_000);

  it("--json: learned and baseline micro / macro figures, per pattern, runs and skipped runs", () => {
    const report = runJson(["backtest", "--db", path]);
    expect(Object.keys(report).sort()).toEqual([
      "baseline",
      "learned",
      "patterns",
      "runs",
      "skipped_without_times",
    ]);
    for (const predictor of [report.learned, report.baseline]) {
      expect(predictor).toEqual({ micro: ratio, macro: ratio });
    }
    expect(report.runs).toBe(RELEASE_MODAL_RUNS - RUNS_WITHOUT_TIMES);
    expect(report.skipped_without_times).toBe(RUNS_WITHOUT_TIMES);
    // The request text alone names a tool in a few runs only: learning from history must do better.
    expect(report.learned.micro.f1).toBeGreaterThan(report.baseline.micro.f1);
    expect(report.learned.micro.recall).toBeGreaterThan(report.baseline.micro.recall);

    const patterns: PatternFigures[] = report.patterns;
    // Support = runs with times that had the pattern: the two runs without times (a release, a modal) are
    // not replayed.
    const supports = Object.fromEntries(patterns.map((p) => [p.signature, p.support]));
    const runsOf = (signature: string) => RELEASE_MODAL_PATTERNS[signature] ?? 0;
    expect(supports).toMatchObject({
      "git:log:summary": runsOf("git:log:summary") - 1,
      "git:push:summary": runsOf("git:push:summary") - 1,
      "test:vitest:frontend": runsOf("test:vitest:frontend") - 1,
      [FUTURE_PATTERN]: runsOf(FUTURE_PATTERN),
    });
    expect(patterns.map((p) => p.support)).toEqual(patterns.map((p) => p.support).sort((a, b) => b - a));
    for (const p of patterns) expect(p.correct + p.false_negatives).toBe(p.support);
  });

  it("never uses the future: a pattern first seen after T is never predicted before T", () => {
    const full = bySignature(runJson(["backtest", "--db", path]).patterns);
    // Every run from T on has the pattern, so a false positive could only be a run before T.
    expect(full.get(FUTURE_PATTERN)).toMatchObject({ false_positives: 0 });
    // Nothing before the first such run could announce it, and the requests never name it.
    expect(full.get(FUTURE_PATTERN)?.false_negatives).toBeGreaterThanOrEqual(1);

    // The runs before T are predicted the same whether or not the later runs are in the database.
    const past = releaseModalDatabase((run) => run.start_time === null || run.start_time < FUTURE_FROM);
    const before = runJson(["backtest", "--db", past.path]);
    expect(before.runs).toBe(28);
    expect(before.skipped_without_times).toBe(RUNS_WITHOUT_TIMES);
    const earlier = bySignature(before.patterns);
    expect(earlier.has(FUTURE_PATTERN)).toBe(false);
    for (const [signature, figures] of earlier) {
      const later = full.get(signature);
      expect(later, signature).toBeDefined();
      expect(later?.correct, signature).toBeGreaterThanOrEqual(figures.correct);
      expect(later?.false_positives, signature).toBeGreaterThanOrEqual(figures.false_positives);
      expect(later?.false_negatives, signature).toBeGreaterThanOrEqual(figures.false_negatives);
    }
    // No run from T on is a modal run: its vitest hits and misses all come from before T.
    const vitest = "test:vitest:frontend";
    expect(full.get(vitest)?.correct).toBe(earlier.get(vitest)?.correct);
    expect(full.get(vitest)?.false_negatives).toBe(earlier.get(vitest)?.false_negatives);
  });

  it("prints the comparison and the per-pattern figures for people", () => {
    const { stdout } = runOk(["backtest", "--db", path]);
    expect(stdout).toContain(
      `${RELEASE_MODAL_RUNS - RUNS_WITHOUT_TIMES} runs replayed in time order (${RUNS_WITHOUT_TIMES} without start and end times skipped)`,
    );
    for (const row of ["learned (micro)", "learned (macro)", "rules only (micro)", "rules only (macro)"]) {
      expect(stdout).toMatch(
        new RegExp(`^${row.replace(/[()]/g, "\\$&")}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+`, "m"),
      );
    }
    expect(stdout).toMatch(/^git:push:summary\s+24\s+[\d.]+%/m);
  });

  it("refuses a missing database file with one line", () => {
    const missing = join(tempDirectory(), "missing.db");
    expectRefusal(runCli(["backtest", "--db", missing]), `no SQLite database at ${missing}`);
  });

  it.skipIf(PG_URL === undefined)("gives the same report on PostgreSQL", { timeout: 120_000 }, () => {
    const url = releaseModalPostgres();
    expect(runJson(["backtest", "--db", url])).toEqual(runJson(["backtest", "--db", path]));
  });
});
