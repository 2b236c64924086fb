import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "./run-cli.js";
import { runJson } from "./support/history.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Hook payloads of three real sessions (Claude Code's own shape, with `_seq`), from MIT-licensed repositories. */
const HOOKS = fixture("transcripts/hook-logs/hook-events.jsonl");
const payloads = readFileSync(HOOKS, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");
const events = (name: string) => payloads.filter((line) => JSON.parse(line).hook_event_name === name).length;

/** Columns the receiver fills with the wall-clock time of receipt (a replay's time, not the session's). */
const CLOCK = new Set([
  "id",
  "created_at",
  "updated_at",
  "received_at",
  "predicted_at",
  "validated_at",
  "start_time",
  "end_time",
  "workflow_time",
  "duration_seconds",
  "patterns_processed_at",
]);

/** What the receiver stored: runs, tool calls, predictions and the session pointers. */
function snapshot(db: string, options: { clock: boolean }) {
  const rows = (sql: string) =>
    query(db, sql).map((row) =>
      options.clock ? row : Object.fromEntries(Object.entries(row).filter(([column]) => !CLOCK.has(column))),
    );
  return {
    runs: rows("SELECT * FROM workflow_history ORDER BY workflow_id"),
    calls: rows("SELECT * FROM workflow_tool_calls ORDER BY workflow_id, seq"),
    predictions: rows("SELECT * FROM pattern_predictions ORDER BY workflow_id, pattern_id"),
    sessions: rows("SELECT * FROM claude_code_sessions ORDER BY session_id"),
    deliveries: rows("SELECT digest FROM hook_deliveries ORDER BY digest"),
  };
}

describe("patternloop ingest hooks", { timeout: 120_000 }, () => {
  it("replays every payload through the receiver: prompts start runs, PostToolUse adds tool calls", () => {
    const db = join(tempDirectory(), "history.db");
    const summary = runJson(["ingest", "hooks", HOOKS, "--db", db]);
    expect(summary).toMatchObject({ lines: payloads.length, sessions: 3, malformed: 0 });
    expect(summary.events.started).toBe(events("UserPromptSubmit"));
    expect(summary.events.tool_call).toBe(events("PostToolUse") + events("PostToolUseFailure"));
    expect(summary.events.completed).toBe(events("Stop") + events("SessionEnd"));
    expect(query(db, "SELECT count(*) AS n FROM workflow_history")).toEqual([{ n: summary.runs }]);
    expect(query(db, "SELECT count(*) AS n FROM workflow_tool_calls")).toEqual([{ n: summary.tool_calls }]);
    const human = runCli(["ingest", "hooks", HOOKS, "--db", join(tempDirectory(), "other.db")]);
    expect(human.status).toBe(0);
    expect(human.stdout).toBe(
      "79 payloads in 3 sessions: started 13, tool_call 34, completed 2, ignored 30\n" +
        "runs started: 13, tool calls added: 34, runs closed at their session's last event: 2\n",
    );
  });

  it("counts the runs that tool calls open when the log has no prompt for them", () => {
    const directory = tempDirectory();
    const file = join(directory, "no-prompts.jsonl");
    // Hooks installed mid-session: the log starts after each session's prompt.
    writeFileSync(file, `${payloads.filter((line) => !line.includes('"UserPromptSubmit"')).join("\n")}\n`);
    const db = join(directory, "history.db");
    const summary = runJson(["ingest", "hooks", file, "--db", db]);
    expect(summary.events.started).toBe(0);
    expect(summary.runs).toBeGreaterThan(0);
    expect(query(db, "SELECT count(*) AS n FROM workflow_history")).toEqual([{ n: summary.runs }]);
  });

  it("ingesting the same log twice is the same as once", () => {
    const db = join(tempDirectory(), "history.db");
    const first = runJson(["ingest", "hooks", HOOKS, "--db", db]);
    const once = snapshot(db, { clock: true });
    const again = runJson(["ingest", "hooks", HOOKS, "--db", db]);
    // What the receiver used is a duplicate now; what it ignored (PreToolUse, Notification…) it ignores again.
    expect(again.events).toEqual({
      started: 0,
      tool_call: 0,
      completed: 0,
      ignored: first.events.ignored,
      duplicate: payloads.length - first.events.ignored,
    });
    expect(again).toMatchObject({ runs: 0, tool_calls: 0 });
    expect(snapshot(db, { clock: true })).toEqual(once);
  });

  it("orders each session by _seq, whatever the order of the lines", () => {
    const directory = tempDirectory();
    const shuffled = join(directory, "shuffled.jsonl");
    // Reversed: every session's payloads in the opposite order.
    writeFileSync(shuffled, `${[...payloads].reverse().join("\n")}\n`);
    const inOrder = join(directory, "ordered.db");
    const outOfOrder = join(directory, "shuffled.db");
    runJson(["ingest", "hooks", HOOKS, "--db", inOrder]);
    runJson(["ingest", "hooks", shuffled, "--db", outOfOrder]);
    expect(snapshot(outOfOrder, { clock: false })).toEqual(snapshot(inOrder, { clock: false }));
  });

  it("reports malformed lines with their number, stores the rest, and exits 1", () => {
    const directory = tempDirectory();
    const file = join(directory, "hooks.jsonl");
    writeFileSync(
      file,
      [
        payloads[0],
        "{not json",
        "[1,2]",
        '{"session_id":"s"}',
        '{"hook_event_name":"Stop","session_id":7}',
        ...payloads.slice(1),
      ].join("\n"),
    );
    const db = join(directory, "history.db");
    const run = runCli(["ingest", "hooks", file, "--db", db, "--json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^line 2: skipped: invalid JSON/m);
    expect(run.stderr).toMatch(/^line 3: skipped: not a JSON object$/m);
    expect(run.stderr).toMatch(/^line 4: skipped: not a hook payload: hook_event_name: /m);
    expect(run.stderr).toMatch(/^line 5: skipped: not a hook payload: session_id: /m);
    const summary = JSON.parse(run.stdout);
    expect(summary.malformed).toBe(4);
    expect(summary.events.started).toBe(events("UserPromptSubmit"));
  });

  it("refuses a missing file with one line and exit code 2", () => {
    const run = runCli([
      "ingest",
      "hooks",
      "/nonexistent/hooks.jsonl",
      "--db",
      join(tempDirectory(), "h.db"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("patternloop: file not found: /nonexistent/hooks.jsonl\n");
  });
});
