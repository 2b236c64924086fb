import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { HISTORY, HISTORY_RUNS, runJson, runOk } from "./support/history.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

/** What a user can see in the stored history: every run and every tool call. */
function storedRuns(path: string) {
  return {
    runs: query(path, "SELECT * FROM workflow_history ORDER BY workflow_id").map(
      ({ id: _id, ...row }) => row,
    ),
    toolCalls: query(path, "SELECT * FROM workflow_tool_calls ORDER BY workflow_id, seq"),
    patterns: query(path, "SELECT COUNT(*) AS n FROM operation_patterns"),
  };
}

describe("patternloop ingest workflows", { timeout: 60_000 }, () => {
  it("creates the database, loads every run and its tool calls, and says so", () => {
    const directory = tempDirectory();
    const path = join(directory, "history.db");
    const run = runOk(["ingest", "workflows", HISTORY, "--db", path]);
    expect(run.stdout).toBe("12 runs read: 12 added, 0 already present, 33 tool calls\n");
    const rows = query(
      path,
      "SELECT workflow_id, status, workflow_time FROM workflow_history ORDER BY workflow_id",
    );
    expect(rows).toHaveLength(HISTORY_RUNS);
    expect(rows.find((row) => row.workflow_id === "hist-06")).toMatchObject({ status: "failed" });
    expect(rows.find((row) => row.workflow_id === "hist-09")).toMatchObject({ workflow_time: null });
    expect(
      query(path, "SELECT command FROM workflow_tool_calls WHERE workflow_id = 'hist-01' ORDER BY seq"),
    ).toEqual([
      { command: null },
      { command: "cd app/server && uv run pytest -q" },
      { command: "git diff --stat" },
    ]);
  });

  it("loading the same file twice adds nothing the second time and changes no run", () => {
    const directory = tempDirectory();
    const path = join(directory, "history.db");
    expect(runJson(["ingest", "workflows", HISTORY, "--db", path])).toMatchObject({
      read: 12,
      inserted: 12,
      already_present: 0,
      tool_calls: 33,
      malformed: 0,
    });
    const before = storedRuns(path);
    const again = runOk(["ingest", "workflows", HISTORY, "--db", path]);
    expect(again.stdout).toBe("12 runs read: 0 added, 12 already present, 0 tool calls\n");
    expect(storedRuns(path)).toEqual(before);
    expect(runJson(["ingest", "workflows", HISTORY, "--db", path])).toMatchObject({
      read: 12,
      inserted: 0,
      already_present: 12,
      tool_calls: 0,
      malformed: 0,
    });
    expect(storedRuns(path)).toEqual(before);
  });

  it("reports malformed lines by number, loads the rest, and exits 1", () => {
    const directory = tempDirectory();
    const file = join(directory, "runs.jsonl");
    writeFileSync(
      file,
      [
        '{"workflow_id":"ok-1","status":"completed"}',
        "{not json",
        '{"workflow_id":"bad-status","status":"done"}',
        '{"adw_id":"ok-2","status":"failed"}',
        "",
      ].join("\n"),
    );
    const run = runCli(["ingest", "workflows", file, "--db", join(directory, "history.db")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^line 2: .*invalid JSON/m);
    expect(run.stderr).toMatch(/^line 3: .*status: /m);
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    expect(run.stdout).toBe(
      "2 runs read: 2 added, 0 already present, 0 tool calls; 2 malformed lines skipped\n",
    );
    expect(
      query(join(directory, "history.db"), "SELECT workflow_id FROM workflow_history ORDER BY 1"),
    ).toEqual([{ workflow_id: "ok-1" }, { workflow_id: "ok-2" }]);
  });

  it("then backfill, then check: a consistent history", () => {
    const directory = tempDirectory();
    const path = join(directory, "history.db");
    runOk(["ingest", "workflows", HISTORY, "--db", path]);
    const backfill = runOk(["backfill", "--db", path]);
    expect(backfill.stdout).toMatch(/^processed 12 of 12 runs in /);
    expect(backfill.stdout).toContain("patterns detected: 21, new patterns: 5, errors: 0");
    const check = runOk(["check", "--db", path]);
    // Backfill replayed predictions over the history: one, on these twelve runs.
    expect(check.stdout).toBe("12 runs, 5 patterns, 21 occurrences, 1 predictions\nintegrity: ok\n");
  });
});
