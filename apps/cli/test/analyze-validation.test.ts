import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runJson, runOk } from "./support/history.js";
import { freshSchema, PG_URL, schemaUrl } from "./support/postgres.js";
import { tempDirectory } from "./support/temp-directory.js";
import {
  buildValidatedHistory,
  DIFF,
  dayOf,
  PRETTIER,
  PYTEST,
  TYPECHECK,
  VALIDATED_RUNS,
} from "./support/validated-runs.js";

// What the §6 queries must report on VALIDATED_RUNS, counted by hand from its table.
const SUMMARY = {
  total_patterns: 4,
  patterns_with_predictions: 4,
  total_predictions: 15,
  total_validations: 13,
  overall_accuracy: 10 / 13,
  patterns_above_70: 3, // pytest 6/6, typecheck 1/1, diff 3/4
  patterns_above_90: 2, // pytest, typecheck
  // Every one of them predicted live: none replayed.
  live: { predictions: 15, validations: 13, accuracy: 10 / 13 },
  replayed: { predictions: 0, validations: 0, accuracy: null },
};
const RATES = {
  true_positives: 10,
  false_positives: 3, // prettier in wf-2 and wf-4, diff in wf-6
  false_negatives: 4, // typecheck in wf-3; pytest, prettier and typecheck in wf-6
  false_positive_rate: 3 / 13,
  false_negative_rate: 4 / 14,
};
const PER_PATTERN = {
  [PYTEST]: { support: 7, correct: 6, false_positives: 0, false_negatives: 1, precision: 1, recall: 6 / 7 },
  [DIFF]: { support: 3, correct: 3, false_positives: 1, false_negatives: 0, precision: 0.75, recall: 1 },
  [TYPECHECK]: {
    support: 3,
    correct: 1,
    false_positives: 0,
    false_negatives: 2,
    precision: 1,
    recall: 1 / 3,
  },
  [PRETTIER]: {
    support: 1,
    correct: 0,
    false_positives: 2,
    false_negatives: 1,
    precision: 0,
    recall: 0,
    f1: 0,
  },
};

type Row = Record<string, unknown>;
const withoutIds = (rows: Row[]) => rows.map(({ id: _id, ...row }) => row);

describe("patternloop analyze on validated predictions (sqlite)", { timeout: 60_000 }, () => {
  const now = Date.now();
  let path: string;
  beforeAll(async () => {
    path = join(tempDirectory(), "validated.db");
    await buildValidatedHistory(path, now);
  }, 60_000);
  const analyze = (...args: string[]) => runJson(["analyze", ...args, "--db", path]);

  it("accuracy --json: the validation summary, error rates and per-pattern figures", () => {
    const { patterns, ...figures } = analyze("accuracy");
    expect(figures).toEqual({ ...SUMMARY, ...RATES });
    const found = Object.fromEntries(patterns.map((row: Row) => [row.pattern_signature, row]));
    expect(Object.keys(found).sort()).toEqual(Object.keys(PER_PATTERN).sort());
    for (const [signature, expected] of Object.entries(PER_PATTERN)) {
      expect(found[signature], signature).toMatchObject(expected);
    }
    expect(patterns.map((row: Row) => row.support)).toEqual([7, 3, 3, 1]);
  });

  it("accuracy prints the same figures for people", () => {
    const { stdout } = runOk(["analyze", "accuracy", "--db", path]);
    expect(stdout.split("\n").slice(0, 6)).toEqual([
      "patterns: 4 (4 with predictions)",
      "predictions: 15, validated: 13, overall accuracy 76.9%",
      "  live at run start: 15 predictions, 13 validated, accuracy 76.9%",
      "  replayed over the history: 0 predictions, 0 validated, accuracy -",
      "patterns above 70%: 3, above 90%: 2",
      "false-positive rate 23.1%, false-negative rate 28.6%",
    ]);
    expect(stdout).toMatch(/^test:pytest:backend\s+7\s+1\.000\s+\S+\s+0\.857\s+0\.923/m);
  });

  it("trend --json: validations, correct ones and accuracy per UTC day, oldest first, within --days", () => {
    const recent = [
      { day: dayOf(now, 2), validations: 6, correct: 5, accuracy: 5 / 6 },
      { day: dayOf(now, 1), validations: 6, correct: 4, accuracy: 4 / 6 },
    ];
    expect(analyze("trend")).toEqual(recent);
    expect(analyze("trend", "--days", "60")).toEqual([
      { day: dayOf(now, 40), validations: 1, correct: 1, accuracy: 1 },
      ...recent,
    ]);
  });

  it("by-type --json: accuracy per pattern type", () => {
    expect(analyze("by-type")).toEqual([
      { pattern_type: "build", validations: 1, correct: 1, accuracy: 1 },
      { pattern_type: "format", validations: 2, correct: 0, accuracy: 0 },
      { pattern_type: "git", validations: 4, correct: 3, accuracy: 0.75 },
      { pattern_type: "test", validations: 6, correct: 6, accuracy: 1 },
    ]);
  });

  it("coverage: the share of completed runs that had predictions", () => {
    const completed = VALIDATED_RUNS.filter((run) => run.status === "completed");
    expect(completed).toHaveLength(8);
    expect(analyze("coverage")).toEqual({ completed_runs: 8, runs_with_predictions: 7, coverage: 7 / 8 });
    expect(runOk(["analyze", "coverage", "--db", path]).stdout).toBe(
      "7 of 8 completed runs had predictions (87.5%)\n",
    );
  });

  it("reliable --json: accurate patterns seen often enough, most accurate first", () => {
    const reliable = (...args: string[]) =>
      analyze("reliable", ...args).map((row: Row) => [
        row.pattern_signature,
        row.prediction_accuracy,
        row.validated_count,
        row.occurrence_count,
      ]);
    expect(reliable()).toEqual([[PYTEST, 1, 6, 9]]);
    expect(reliable("--min-occurrences", "1")).toEqual([
      [PYTEST, 1, 6, 9],
      [TYPECHECK, 1, 1, 3],
      [DIFF, 0.75, 4, 3],
    ]);
    expect(reliable("--min-occurrences", "1", "--min-accuracy", "0.9")).toEqual([
      [PYTEST, 1, 6, 9],
      [TYPECHECK, 1, 1, 3],
    ]);
    expect(reliable("--min-occurrences", "1", "--limit", "1")).toEqual([[PYTEST, 1, 6, 9]]);
  });

  it("the stored accuracy agrees with a recount: check passes", () => {
    expect(runOk(["check", "--db", path]).stdout).toBe(
      "10 runs, 4 patterns, 16 occurrences, 15 predictions\nintegrity: ok\n",
    );
  });

  describe.skipIf(PG_URL === undefined)("on PostgreSQL", () => {
    it("every validation analysis gives what it gives on SQLite", async () => {
      const url = schemaUrl(freshSchema());
      await buildValidatedHistory(url, now);
      for (const args of [
        ["accuracy"],
        ["trend", "--days", "60"],
        ["by-type"],
        ["coverage"],
        ["reliable", "--min-occurrences", "1"],
      ]) {
        const onPostgres = runJson(["analyze", ...args, "--db", url]);
        const onSqlite = analyze(...args);
        if (Array.isArray(onSqlite)) expect(withoutIds(onPostgres), args[0]).toEqual(withoutIds(onSqlite));
        else expect(onPostgres, args[0]).toEqual(onSqlite);
      }
    });
  });
});
