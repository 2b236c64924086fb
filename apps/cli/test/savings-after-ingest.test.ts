import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "./run-cli.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Hook payloads of three real sessions; replayed now, their runs are dated after any generated history. */
const HOOKS = fixture("transcripts/hook-logs/hook-events.jsonl");

/** A backfilled history (January, ten days), whose monthly savings are then divided by a span that later runs widen. */
function backfilledHistory(): { directory: string; db: string } {
  const directory = tempDirectory();
  const db = join(directory, "history.db");
  const history = join(directory, "history.jsonl");
  writeFileSync(history, runCli(["generate", "--runs", "60", "--days", "10"]).stdout);
  expect(runCli(["ingest", "workflows", history, "--db", db]).status).toBe(0);
  expect(runCli(["backfill", "--db", db]).status).toBe(0);
  return { directory, db };
}

describe("monthly savings stay equal to a recount after an ingest", { timeout: 120_000 }, () => {
  it("after ingest hooks of a later log", () => {
    const { db } = backfilledHistory();
    expect(runCli(["ingest", "hooks", HOOKS, "--db", db]).status).toBe(0);
    const check = runCli(["check", "--db", db]);
    expect(check.stdout + check.stderr).not.toContain("potential_monthly_savings_mismatch");
    expect(check.status).toBe(0);
  });

  it("after ingest workflows of later runs", () => {
    const { directory, db } = backfilledHistory();
    const later = join(directory, "later.jsonl");
    writeFileSync(
      later,
      runCli(["generate", "--runs", "5", "--seed", "2", "--start", "2026-06-01T08:00:00.000Z"]).stdout,
    );
    expect(runCli(["ingest", "workflows", later, "--db", db]).status).toBe(0);
    const check = runCli(["check", "--db", db]);
    expect(check.stdout + check.stderr).not.toContain("potential_monthly_savings_mismatch");
    expect(check.status).toBe(0);
  });
});
