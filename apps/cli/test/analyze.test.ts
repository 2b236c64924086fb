import { beforeAll, describe, expect, it } from "vitest";
import {
  backfilledHistory,
  HISTORY_OCCURRENCES,
  HISTORY_PATTERNS,
  runJson,
  runOk,
} from "./support/history.js";
import { PATTERN_COLUMNS } from "./support/pattern-columns.js";

type Row = Record<string, unknown>;

const signatures = (rows: Row[]) => rows.map((row) => row.pattern_signature);

describe("patternloop analyze", { timeout: 60_000 }, () => {
  let path: string;
  beforeAll(() => {
    path = backfilledHistory().path;
  }, 60_000);
  const analyze = (...args: string[]) => runJson(["analyze", ...args, "--db", path]);

  it("summary --json: totals, monthly savings and patterns by status", () => {
    const summary = analyze("summary");
    expect(summary).toMatchObject({
      total_patterns: 5,
      total_occurrences: HISTORY_OCCURRENCES,
      patterns_by_status: { detected: 5 },
    });
    const top: Row[] = analyze("top");
    const savings = top.reduce((sum, row) => sum + (row.potential_monthly_savings as number), 0);
    expect(summary.potential_monthly_savings).toBeCloseTo(savings, 9);
    expect(summary.potential_monthly_savings).toBeGreaterThan(0);
  });

  it("top --json: by occurrences, with the column names of operation_patterns", () => {
    const rows: Row[] = analyze("top");
    expect(rows.map((row) => [row.pattern_signature, row.occurrence_count])).toEqual(
      Object.entries(HISTORY_PATTERNS),
    );
    for (const row of rows) {
      for (const column of PATTERN_COLUMNS) expect(row).toHaveProperty(column);
      expect(row.avg_cost_with_llm as number).toBeGreaterThan(row.avg_cost_with_tool as number);
      expect(row.avg_cost_with_tool as number).toBeCloseTo((row.avg_cost_with_llm as number) * 0.05, 12);
      expect(row.automation_status).toBe("detected");
      // Backfill replayed predictions: a pattern whose predictions were validated has an accuracy.
      const accuracy = row.prediction_accuracy as number | null;
      if (accuracy !== null) expect(accuracy >= 0 && accuracy <= 1).toBe(true);
    }
    expect(signatures(analyze("top", "--limit", "2"))).toEqual(["git:diff:summary", "test:pytest:backend"]);
  });

  it("top: the confidence tiers of §4 (1–2 runs below 30, 3–9 runs 30 to 60)", () => {
    for (const row of analyze("top") as Row[]) {
      const runs = row.occurrence_count as number;
      const confidence = row.confidence_score as number;
      if (runs <= 2) expect(confidence, String(row.pattern_signature)).toBeLessThan(30);
      else {
        expect(confidence, String(row.pattern_signature)).toBeGreaterThanOrEqual(30);
        expect(confidence, String(row.pattern_signature)).toBeLessThan(60);
      }
    }
  });

  it("high-value --json: by potential monthly savings, with the saving of one use", () => {
    const rows: Row[] = analyze("high-value");
    expect(rows).toHaveLength(5);
    const savings = rows.map((row) => row.potential_monthly_savings as number);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    expect(rows[0]?.pattern_signature).toBe("test:pytest:backend");
    for (const row of rows) {
      for (const column of PATTERN_COLUMNS) expect(row).toHaveProperty(column);
      expect(row.savings_per_use).toBeCloseTo(
        (row.avg_cost_with_llm as number) - (row.avg_cost_with_tool as number),
        12,
      );
      // The fixture spans less than 30 days, so a month is the history itself: never extrapolated upward.
      expect(row.potential_monthly_savings).toBeCloseTo(
        (row.savings_per_use as number) * (row.occurrence_count as number),
        9,
      );
    }
    expect(analyze("high-value", "--limit", "1")).toHaveLength(1);
  });

  it("recent --json: by first seen (workflow time, not backfill time), newest first", () => {
    const rows: Row[] = analyze("recent");
    const iso = (time: unknown) => new Date(time as string).toISOString();
    expect(rows.map((row) => [row.pattern_signature, iso(row.first_seen), iso(row.last_seen)])).toEqual([
      ["build:typecheck:all", "2026-01-12T09:15:00.000Z", "2026-01-12T09:15:00.000Z"],
      ["deps:npm:update", "2026-01-07T11:00:00.000Z", "2026-01-12T09:15:00.000Z"],
      ["build:typecheck:frontend", "2026-01-06T10:00:00.000Z", "2026-01-21T13:00:00.000Z"],
      ["git:diff:summary", "2026-01-05T09:00:00.000Z", "2026-01-21T13:00:00.000Z"],
      ["test:pytest:backend", "2026-01-05T09:00:00.000Z", "2026-01-21T13:00:00.000Z"],
    ]);
    for (const row of rows) for (const column of PATTERN_COLUMNS) expect(row).toHaveProperty(column);
    expect(signatures(analyze("recent", "--limit", "3"))).toHaveLength(3);
  });

  it("details --json: every statistic, by signature or id, and at most 5 example runs", () => {
    const details = analyze("details", "test:pytest:backend");
    for (const column of PATTERN_COLUMNS) expect(details.pattern).toHaveProperty(column);
    expect(details.pattern).toMatchObject({ pattern_signature: "test:pytest:backend", occurrence_count: 6 });
    expect(details.examples).toHaveLength(5);
    for (const example of details.examples as Row[]) {
      expect(example).toHaveProperty("workflow_id");
      expect((example.nl_input as string).length).toBeLessThanOrEqual(60);
    }
    expect(details.examples.map((example: Row) => example.nl_input)).toContain(
      "Fix the date parsing bug in the invoices endpoint so that I…",
    );
    expect(details.accuracy_history).toEqual([]);
    expect(analyze("details", String(details.pattern.id))).toEqual(details);
    expect(analyze("details", "TEST:PYTEST:BACKEND")).toEqual(details);
  });

  it("details without --json: the statistics, then up to 5 example runs with the request cut to fit 100 columns", () => {
    const run = runOk(["analyze", "details", "test:pytest:backend", "--db", path]);
    const [title, ...rest] = run.stdout.split("\n");
    expect(title).toMatch(/^test:pytest:backend {2}\(id \d+, detected\)$/);
    expect(rest[0]).toMatch(/^ {2}runs: 6, confidence \d+\.\d, first seen 2026-01-05, last seen 2026-01-21$/);
    expect(run.stdout).toContain("  potential monthly savings: $");
    expect(run.stdout).toContain("  prediction accuracy: - (0 validated)");
    const examples = run.stdout.slice(run.stdout.indexOf("Example runs\n")).split("\n").slice(1);
    expect(examples[0]?.split(/\s{2,}/).filter(Boolean)).toEqual([
      "workflow",
      "when",
      "status",
      "cost",
      "request",
    ]);
    const runs = examples.filter((line) => line.startsWith("hist-"));
    expect(runs).toHaveLength(5);
    expect(run.stdout).toContain("Fix the date parsing bug in the invoices endpoint so that…");
    expect(run.stdout).not.toContain("so that ISO dates");
    expect(run.stdout).toContain("Make the user export endpoint paginate its results and do…");
    expect(run.stdout).toContain("Fix the flaky login test");
  });

  it("top, high-value and recent without --json print a table with one row per pattern", () => {
    for (const command of ["top", "high-value", "recent"]) {
      // The table, then (for the savings) a blank line and what the savings assume.
      const [table = ""] = runOk(["analyze", command, "--db", path]).stdout.split("\n\n");
      const lines = table.trimEnd().split("\n");
      expect(lines[0], command).toMatch(/^pattern\s/);
      expect(
        lines
          .slice(1)
          .map((line) => line.split(/\s+/)[0])
          .sort(),
        command,
      ).toEqual(Object.keys(HISTORY_PATTERNS).sort());
    }
    const summary = runOk(["analyze", "summary", "--db", path]).stdout;
    expect(summary).toMatch(
      /^patterns: 5\noccurrences: 21\npotential monthly savings: \$\d+\.\d\d\nby status: detected 5\nprediction accuracy:\n {2}live at run start: 0 predictions, 0 validated, accuracy -\n {2}replayed over the history: \d+ predictions, \d+ validated, accuracy [\d.]+%\nSavings assume .+\n$/,
    );
  });
});
