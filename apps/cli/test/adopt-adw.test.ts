import { statSync } from "node:fs";
import { join } from "node:path";
import { ADW_HISTORY_DDL } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import { runJson, runOk } from "./support/history.js";
import { createSqlite, query, withSqlite } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

type Row = Record<string, unknown>;

/** An ADW history as a team has it: ADW's table, a column of the team's own, and runs in every state. */
function createAdwHistory(): { directory: string; path: string; rows: Row[] } {
  const directory = tempDirectory();
  const path = join(directory, "adw.db");
  createSqlite(
    path,
    `${ADW_HISTORY_DDL};
     ALTER TABLE workflow_history ADD COLUMN team_note TEXT;
     INSERT INTO workflow_history (adw_id, issue_number, nl_input, workflow_template, status, start_time, end_time,
       duration_seconds, total_tokens, actual_cost_total, cost_breakdown, team_note)
     VALUES ('a1b2c3d4', 42, 'Run the backend tests with pytest', 'adw_test_iso', 'completed',
       '2025-01-15T10:30:00.123456', '2025-01-15T10:34:10.000000', 250, 182000, 1.2345, '{"plan": 0.5}', 'keep me');
     INSERT INTO workflow_history (adw_id, nl_input, workflow_template, status, end_time, error_message, total_tokens,
       actual_cost_total, team_note)
     VALUES ('e5f6a7b8', 'Fix the login page', 'adw_sdlc_iso', 'failed', '2025-01-16T08:00:00+02:00',
       'npx tsc --noEmit failed with 3 errors', 90000, 0.5, NULL);
     INSERT INTO workflow_history (adw_id, nl_input, workflow_template, status, total_tokens, actual_cost_total,
       created_at, team_note)
     VALUES ('c9d0e1f2', 'Format the frontend with prettier', 'adw_patch_iso', 'completed', 40000, 0.2,
       '2025-01-17 09:15:00', 'formatting');
     INSERT INTO workflow_history (adw_id, nl_input, status) VALUES ('f00dfeed', 'queued', 'pending');`,
  );
  return { directory, path, rows: query(path, "SELECT * FROM workflow_history ORDER BY id") };
}

describe("adopting an existing ADW history through the CLI", { timeout: 60_000 }, () => {
  it("backfill upgrades it in place: every row and column, ADW's and the team's own, keeps its value", () => {
    const { path, rows } = createAdwHistory();
    const report = runJson(["backfill", "--db", path]);
    expect(report).toMatchObject({ processed: 3, total: 3, errors: 0 });
    expect(report.patterns_detected).toBeGreaterThan(0);

    const after = query(path, "SELECT * FROM workflow_history ORDER BY id");
    expect(after).toHaveLength(rows.length);
    after.forEach((row, i) => {
      expect(row).toMatchObject(rows[i] ?? {});
    });
    expect(after.map((row) => [row.workflow_id, row.team_note])).toEqual([
      ["a1b2c3d4", "keep me"],
      ["e5f6a7b8", null],
      ["c9d0e1f2", "formatting"],
      ["f00dfeed", null],
    ]);
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok\n");
    expect(runJson(["analyze", "top", "--db", path]).map((row: Row) => row.pattern_signature)).toContain(
      "test:pytest:backend",
    );
  });

  it("statistics come from the runs' own times, never from the time of the backfill", () => {
    const { path } = createAdwHistory();
    runOk(["backfill", "--db", path]);
    const pytest = runJson(["analyze", "details", "test:pytest:backend", "--db", path]).pattern;
    expect(new Date(pytest.first_seen).toISOString()).toBe("2025-01-15T10:30:00.123Z");
    expect(pytest.occurrence_count).toBe(1);
    // ADW's table holds no tool calls: the run's totals say nothing about what pytest cost in it.
    expect(pytest.avg_tokens_with_llm).toBe(0);
    expect(pytest.avg_cost_with_llm).toBe(0);
  });

  it("runs ADW keeps writing after the upgrade are picked up by the next backfill", () => {
    const { path } = createAdwHistory();
    runOk(["backfill", "--db", path]);
    withSqlite(path, (database) =>
      database
        .prepare(
          "INSERT INTO workflow_history (adw_id, nl_input, status, start_time, total_tokens, actual_cost_total) VALUES (?, ?, 'completed', ?, ?, ?)",
        )
        .run("0badcafe", "Run the backend tests with pytest again", "2025-01-20T09:00:00", 50000, 0.3),
    );
    expect(runJson(["backfill", "--db", path])).toMatchObject({
      processed: 1,
      already_processed: 3,
      errors: 0,
    });
    expect(query(path, "SELECT workflow_id FROM workflow_history WHERE adw_id = '0badcafe'")).toEqual([
      { workflow_id: "0badcafe" },
    ]);
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok\n");
  });

  it("detect, analyze and backfill --dry-run work on a history never upgraded, changing no byte of it", () => {
    const { directory, path } = createAdwHistory();
    const before = snapshotDirectory(directory);
    const mtime = statSync(path).mtimeMs;

    const dry = runCli(["backfill", "--db", path, "--dry-run", "--limit", "10"]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Dry run (nothing written): processed 3 of 3 runs");
    // Its top 10 is what it found, though nothing is stored.
    expect(dry.stdout).toMatch(/Top \d+ patterns found by the dry run/);
    expect(dry.stdout).toMatch(/test:pytest:backend +1 +no/);
    expect(dry.stderr).toContain("read through an upgraded copy in memory, the file is not changed");
    expect(runJson(["backfill", "--db", path, "--dry-run", "--limit", "10"]).found).toContainEqual({
      pattern_signature: "test:pytest:backend",
      runs: 1,
      new: true,
    });

    expect(runJson(["analyze", "summary", "--db", path])).toMatchObject({ total_patterns: 0 });
    expect(runJson(["analyze", "top", "--db", path])).toEqual([]);
    const detected = runOk(["detect", "--db", path, "--json"])
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(detected.map((run) => run.workflow_id)).toEqual(["a1b2c3d4", "e5f6a7b8", "c9d0e1f2"]);
    expect(detected[0].patterns.map((pattern: Row) => pattern.signature)).toContain("test:pytest:backend");

    expect(snapshotDirectory(directory)).toEqual(before);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });
});
