import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { backfilledHistory, ingestedHistory, runJson, runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { sharedDataFile } from "./support/shared-data.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

interface Miss {
  threshold: string;
  needed: number;
  actual: number | null;
}
interface DetectedRow {
  pattern_signature: string;
  misses: Miss[];
}

/** The `minOccurrences` each detected pattern is held to, as `review list --status detected` reports it. */
function neededRuns(path: string, options: { cwd?: string; flags?: string[] } = {}): number[] {
  const rows: DetectedRow[] = runJson(
    ["review", "list", "--status", "detected", "--db", path, ...(options.flags ?? [])],
    { cwd: options.cwd },
  );
  return [
    ...new Set(
      rows.flatMap((row) => row.misses.filter((m) => m.threshold === "minOccurrences").map((m) => m.needed)),
    ),
  ];
}

const replayedCount = (path: string) =>
  Number(query(path, "SELECT count(*) AS n FROM pattern_predictions WHERE replayed = 1")[0]?.n);

describe("candidates from history", { timeout: 120_000 }, () => {
  it("backfill replays predictions (validated, marked replayed) unless --no-replay", () => {
    const replayed = ingestedHistory().path;
    const report = runJson(["backfill", "--db", replayed]);
    expect(report.replay.predictions).toBeGreaterThan(0);
    expect(replayedCount(replayed)).toBe(report.replay.predictions);
    expect(
      query(replayed, "SELECT count(*) AS n FROM pattern_predictions WHERE validated_at IS NULL")[0]?.n,
    ).toBe(0);
    const summary = runJson(["analyze", "summary", "--db", replayed]);
    expect(summary.predictions.live).toEqual({ predictions: 0, validations: 0, accuracy: null });
    expect(summary.predictions.replayed.validations).toBe(report.replay.predictions);

    const skipped = ingestedHistory().path;
    expect(runJson(["backfill", "--db", skipped, "--no-replay"]).replay).toBeNull();
    expect(replayedCount(skipped)).toBe(0);
  });

  it("thresholds come from a flag, else patternloop.config.json in the current directory, else the default", () => {
    const { path } = backfilledHistory();
    const project = tempDirectory();
    expect(neededRuns(path, { cwd: project })).toEqual([10]);
    writeFileSync(
      join(project, "patternloop.config.json"),
      JSON.stringify({ candidateThresholds: { minOccurrences: 3 } }),
    );
    expect(neededRuns(path, { cwd: project })).toEqual([3]);
    expect(neededRuns(path, { cwd: project, flags: ["--min-runs", "7"] })).toEqual([7]);
    // Backfill promotes under the same settings: with every threshold at its lowest, each pattern whose
    // replayed predictions were validated becomes a candidate.
    const fresh = ingestedHistory().path;
    const lowest = [
      "--min-runs",
      "0",
      "--min-confidence",
      "0",
      "--min-monthly-savings",
      "0",
      "--min-accuracy",
      "0",
    ];
    const report = runJson(["backfill", "--db", fresh, ...lowest, "--min-validated", "1"], { cwd: project });
    const validated = query(
      fresh,
      "SELECT pattern_signature FROM operation_patterns WHERE validated_count >= 1 ORDER BY pattern_signature",
    ).map((row) => row.pattern_signature);
    expect(validated.length).toBeGreaterThan(0);
    expect(
      report.replay.promoted.map((change: { pattern_signature: string }) => change.pattern_signature),
    ).toEqual(validated);
  });

  it("refuses a bad config file or threshold flag with one line and exit 2", () => {
    const { path } = backfilledHistory();
    const project = tempDirectory();
    expectRefusal(
      runCli(["review", "list", "--db", path, "--min-accuracy", "80"]),
      "--min-accuracy takes a number from 0 to 1, not 80",
    );
    expectRefusal(
      runCli(["review", "list", "--db", path, "--min-runs", "many"]),
      '--min-runs takes a number ≥ 0, not "many"',
    );
    writeFileSync(join(project, "patternloop.config.json"), "{ nope");
    expectRefusal(
      runCli(["review", "list", "--db", path], { cwd: project }),
      "patternloop.config.json: not valid JSON",
    );
    writeFileSync(
      join(project, "patternloop.config.json"),
      JSON.stringify({ candidateThresholds: { minRuns: 3 } }),
    );
    const before = query(path, "SELECT count(*) AS n FROM pattern_predictions")[0]?.n;
    expectRefusal(
      runCli(["backfill", "--db", path], { cwd: project }),
      'patternloop.config.json: unknown threshold "minRuns"',
    );
    expect(query(path, "SELECT count(*) AS n FROM pattern_predictions")[0]?.n).toBe(before);
  });

  it("review list names the thresholds the patterns nearest to promotion miss", () => {
    const { path } = backfilledHistory();
    const { stdout } = runOk(["review", "list", "--db", path, "--min-runs", "7"]);
    expect(stdout).toMatch(
      /^no candidate patterns\n\nNearest to promotion \(thresholds: runs ≥ 7, confidence ≥ 60, /,
    );
    // git:diff:summary ran 7 times: enough runs; pytest 6 times, one short.
    expect(stdout).toMatch(/^test:pytest:backend\s+.*runs 6 < 7/m);
    expect(stdout).not.toMatch(/^git:diff:summary\s+.*runs \d+ < 7/m);
  });

  const realWorld = sharedDataFile("realworld/workflows.jsonl");
  it.skipIf(!realWorld.present)(
    "on the real-world history, one backfill gives accuracy for many patterns and a short list of candidates",
    () => {
      const path = join(tempDirectory(), "realworld.db");
      runOk(["ingest", "workflows", realWorld.path, "--db", path]);
      const report = runJson(["backfill", "--db", path]);
      const accurate = query(
        path,
        "SELECT count(*) AS n FROM operation_patterns WHERE prediction_accuracy IS NOT NULL",
      );
      expect(Number(accurate[0]?.n)).toBeGreaterThanOrEqual(5);
      const candidates = runJson(["review", "list", "--db", path]);
      expect(candidates.length).toBeGreaterThanOrEqual(3);
      expect(candidates.length).toBeLessThanOrEqual(15);
      expect(report.replay.promoted).toHaveLength(candidates.length);
      // Led by operations a script can do as the agent did them.
      expect(candidates[0].scriptability).toBeGreaterThanOrEqual(0.5);
      expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok");
    },
  );
});
