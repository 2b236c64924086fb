import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { backfilledHistory, ingestedHistory, runJson, runOk } from "./support/history.js";
import { withSqlite } from "./support/sqlite.js";

describe("patternloop check", { timeout: 60_000 }, () => {
  it("exits 0 with 'integrity: ok' on a backfilled history", () => {
    const { path } = backfilledHistory();
    const run = runOk(["check", "--db", path]);
    // Backfill replayed predictions over the history: the integrity check counts and recounts them too.
    expect(run.stdout).toMatch(
      /^12 runs, 5 patterns, 21 occurrences, [1-9]\d* predictions\nintegrity: ok\n$/,
    );
    expect(runJson(["check", "--db", path])).toEqual({
      workflows: 12,
      patterns: 5,
      occurrences: 21,
      predictions: Number(/(\d+) predictions/.exec(run.stdout)?.[1]),
      violations: [],
    });
  });

  it("exits 0 on a history that was loaded but never backfilled", () => {
    const { path } = ingestedHistory();
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok\n");
  });

  it("exits 1 and names a tampered occurrence_count", () => {
    const { path } = backfilledHistory();
    withSqlite(path, (database) =>
      database
        .prepare("UPDATE operation_patterns SET occurrence_count = 99 WHERE pattern_signature = ?")
        .run("test:pytest:backend"),
    );
    const run = runCli(["check", "--db", path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "VIOLATION occurrence_count_mismatch: test:pytest:backend: occurrence_count is 99, a recount gives 6\n",
    );
    expect(run.stdout).toMatch(/^integrity: \d+ violations?\n$/m);
    expect(run.stdout).not.toContain("integrity: ok");
    const report = JSON.parse(runCli(["check", "--db", path, "--json"]).stdout);
    expect(report.violations).toContainEqual({
      code: "occurrence_count_mismatch",
      message: "test:pytest:backend: occurrence_count is 99, a recount gives 6",
    });
  });

  it("exits 1 and names orphaned occurrences", () => {
    const { path } = backfilledHistory();
    withSqlite(path, (database) => {
      database.pragma("foreign_keys = OFF");
      database
        .prepare("INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (?, ?)")
        .run(9999, "hist-01");
    });
    const run = runCli(["check", "--db", path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("VIOLATION orphaned_rows: 1 occurrences without pattern\n");
  });

  it("exits 1 and names averages emptied although the occurrences have figures", () => {
    const { path } = backfilledHistory();
    withSqlite(path, (database) =>
      database
        .prepare("UPDATE operation_patterns SET avg_cost_with_llm = 0 WHERE pattern_signature = ?")
        .run("git:diff:summary"),
    );
    const run = runCli(["check", "--db", path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("VIOLATION statistics_missing: git:diff:summary:");
    expect(run.stdout).toContain("VIOLATION avg_cost_with_llm_mismatch: git:diff:summary:");
  });

  it("exits 1 and names hook events set aside, which the history lacks", () => {
    const { path } = backfilledHistory();
    withSqlite(path, (database) =>
      database
        .prepare(
          `INSERT INTO hook_inbox (event_id, session_id, payload_digest, payload, received_at, processed_at,
             attempts, last_error, set_aside_at) VALUES (?, ?, 'd', '{', ?, ?, 3, ?, ?)`,
        )
        .run(
          "poison",
          "s-1",
          "2026-12-06T09:00:00Z",
          "2026-12-06T09:00:15Z",
          "bad payload",
          "2026-12-06T09:00:15Z",
        ),
    );
    const run = runCli(["check", "--db", path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "VIOLATION hook_events_set_aside: 1 hook event(s) could not be applied and were set aside in hook_inbox; the first, poison of session s-1, failed 3 times: bad payload\n",
    );
  });
});
