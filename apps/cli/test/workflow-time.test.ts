import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runJson, runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

/**
 * Workflow times are instants, whatever offset they were written with (§4: first_seen / last_seen are the
 * earliest / latest workflow time; §5: backfill reads runs oldest first).
 */
describe("workflow times written with an offset", { timeout: 60_000 }, () => {
  const pytestRun = (id: string, startTime: string) =>
    JSON.stringify({
      workflow_id: id,
      nl_input: "Fix the invoice totals",
      status: "completed",
      start_time: startTime,
      total_tokens: 10_000,
      actual_cost_total: 0.1,
      tool_calls: [{ tool_name: "Bash", tool_input: { command: "cd app/server && uv run pytest -q" } }],
    });

  function historyWithOffsets(): string {
    const directory = tempDirectory();
    const file = join(directory, "runs.jsonl");
    // 09:00 at +05:00 is 04:00 UTC: two hours *before* the run written at 06:00 UTC.
    writeFileSync(
      file,
      `${pytestRun("later-utc", "2026-01-05T06:00:00Z")}\n${pytestRun("earlier-offset", "2026-01-05T09:00:00+05:00")}\n`,
    );
    const path = join(directory, "history.db");
    runOk(["ingest", "workflows", file, "--db", path]);
    return path;
  }

  const instant = (time: unknown) => new Date(time as string).toISOString();

  it("first_seen is the earliest run and last_seen the latest, as instants", () => {
    const path = historyWithOffsets();
    runOk(["backfill", "--db", path]);
    const { pattern } = runJson(["analyze", "details", "test:pytest:backend", "--db", path]);
    expect(pattern.occurrence_count).toBe(2);
    expect(instant(pattern.first_seen)).toBe("2026-01-05T04:00:00.000Z");
    expect(instant(pattern.last_seen)).toBe("2026-01-05T06:00:00.000Z");
  });

  it("backfill --limit 1 processes the oldest run", () => {
    const path = historyWithOffsets();
    const run = runOk(["backfill", "--db", path, "--limit", "1", "--verbose"]);
    expect(run.stderr).toBe("earlier-offset: test:pytest:backend\n");
  });
});
