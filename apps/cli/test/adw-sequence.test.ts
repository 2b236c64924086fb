import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "./run-cli.js";
import { ADW_COMPLETE, ADW_INSERT, generatedAdwHistory } from "./support/adw-history.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import { runJson, runOk } from "./support/history.js";
import { query, withSqlite } from "./support/sqlite.js";

/** The original design's four SQL checks, exactly as written there. */
const DESIGN_SQL = {
  patterns: "SELECT COUNT(*) AS n FROM operation_patterns",
  occurrences: "SELECT COUNT(*) AS n FROM pattern_occurrences",
  orphans:
    "SELECT COUNT(*) AS n FROM pattern_occurrences po LEFT JOIN operation_patterns op ON po.pattern_id = op.id WHERE op.id IS NULL",
  populated:
    "SELECT COUNT(*) AS n FROM operation_patterns WHERE avg_tokens_with_llm > 0 AND avg_cost_with_llm > 0",
};

/** A running `patternloop` whose output is collected as it comes. */
function start(args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out: () => stdout, err: () => stderr, exit };
}

/** Waits until `check` holds, for at most `ms`; a generous bound, never a measured duration. */
async function eventually(check: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting; so far: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the original design's sequence on an ADW workflow_history.db", { timeout: 240_000 }, () => {
  it("dry run, --limit 50, full backfill, the analyses, the SQL checks, then --follow picks up ADW's own writes", async () => {
    const { directory, path, finished } = generatedAdwHistory(150);
    expect(finished).toBeGreaterThan(60);

    // 1. The first documented step: read only, the file left byte for byte as it was.
    const before = snapshotDirectory(directory);
    const mtime = statSync(path).mtimeMs;
    const dry = runOk(["backfill", "--dry-run", "--limit", "10", "--db", path]);
    expect(dry.stdout).toContain("Dry run (nothing written): processed 10 of 10 runs");
    expect(dry.stdout).toMatch(/Top \d+ patterns found by the dry run/);
    expect(snapshotDirectory(directory)).toEqual(before);
    expect(statSync(path).mtimeMs).toBe(mtime);

    // 2. The first command that writes adopts the file and says what it changed.
    const fifty = runCli(["backfill", "--limit", "50", "--json", "--db", path]);
    expect(fifty.status, fifty.stderr).toBe(0);
    expect(JSON.parse(fifty.stdout)).toMatchObject({ processed: 50, total: 50, errors: 0 });
    expect(fifty.stderr).toContain("upgraded sqlite:");
    expect(fifty.stderr).toContain("table operation_patterns renamed to operation_patterns_legacy");
    expect(fifty.stderr).toMatch(/workflow_history: \d+ columns added/);
    expect(fifty.stderr).toContain("1 legacy patterns carried over by signature");

    // 3. The rest of the history.
    expect(runJson(["backfill", "--db", path])).toMatchObject({
      processed: finished - 50,
      already_processed: 50,
      errors: 0,
    });

    // 4. The four analyses and the details of pattern 1.
    const summary = runJson(["analyze", "summary", "--db", path]);
    expect(summary.total_patterns).toBeGreaterThan(0);
    expect(summary.total_occurrences).toBeGreaterThan(0);
    const top = runJson(["analyze", "top", "--db", path]);
    expect(top.length).toBeGreaterThan(0);
    expect(top[0].occurrence_count).toBeGreaterThanOrEqual(top.at(-1).occurrence_count);
    expect(runJson(["analyze", "high-value", "--db", path]).length).toBeGreaterThan(0);
    expect(runJson(["analyze", "recent", "--db", path]).length).toBeGreaterThan(0);
    const details = runOk(["analyze", "details", "1", "--db", path]);
    expect(details.stdout).toContain("test:pytest:backend");
    // The review ADW recorded lives on in the upgraded table.
    expect(
      query(path, "SELECT tool_name, reviewed_by, automation_status FROM operation_patterns WHERE id = 1"),
    ).toEqual([{ tool_name: "run_backend_tests", reviewed_by: "alice", automation_status: "approved" }]);

    // 5. The design's four SQL checks, run as written on the file.
    const answer = (sql: string) => Number(query(path, sql)[0]?.n);
    expect(answer(DESIGN_SQL.patterns)).toBe(summary.total_patterns);
    expect(answer(DESIGN_SQL.occurrences)).toBe(summary.total_occurrences);
    expect(answer(DESIGN_SQL.orphans)).toBe(0);
    // ADW's table has no tool calls, so no run gives cost evidence: no pattern claims a cost it has none of.
    expect(answer(DESIGN_SQL.populated)).toBe(
      answer(
        "SELECT COUNT(*) AS n FROM operation_patterns WHERE tokens_n > 0 AND tokens_sum > 0 AND cost_sum > 0",
      ),
    );
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok\n");

    // 6. Following: ADW inserts a run, a prediction is stored at its start, then ADW completes it.
    const follow = start(["backfill", "--follow", "--verbose", "--interval", "1", "--db", path]);
    try {
      await eventually(
        () => follow.err().includes("finished runs recorded every 1 s"),
        () => follow.err(),
      );
      withSqlite(path, (database) => {
        database.pragma("busy_timeout = 10000");
        database
          .prepare(ADW_INSERT)
          .run(
            "f0110w01",
            77,
            "Run the backend tests with pytest",
            null,
            "adw_test_iso",
            "claude-sonnet-4",
            "running",
            "2026-03-01T09:00:00",
          );
        database
          .prepare(
            `INSERT INTO pattern_predictions (workflow_id, pattern_id, pattern_signature, predicted_confidence, prediction_reason)
             SELECT 'f0110w01', id, pattern_signature, 90, 'hook at run start' FROM operation_patterns WHERE id = 1`,
          )
          .run();
        database.prepare(ADW_COMPLETE).run("2026-03-01T09:04:00", 240, 150000, 0.9, "f0110w01");
      });
      await eventually(
        () => follow.err().includes("f0110w01: completed:"),
        () => follow.err(),
      );
      expect(follow.err()).toMatch(
        /f0110w01: completed: [^\n]*test:pytest:backend[^\n]*; predictions validated: 1\n/,
      );
    } finally {
      follow.child.kill("SIGTERM");
    }
    expect(await follow.exit).toBe(0);
    expect(follow.out()).toMatch(/^followed for .*: recorded 1 runs \(1 completed, 0 failed\)\n/);
    expect(follow.out()).toContain("predictions validated: 1");
    expect(query(path, "SELECT was_correct FROM pattern_predictions WHERE workflow_id = 'f0110w01'")).toEqual(
      [{ was_correct: 1 }],
    );
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok\n");
  });
});
