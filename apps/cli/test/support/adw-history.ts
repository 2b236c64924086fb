import { join } from "node:path";
import { ADW_HISTORY_DDL, ADW_PATTERN_TABLES_DDL } from "@patternloop/db/testing";
import { runOk } from "./history.js";
import { createSqlite, withSqlite } from "./sqlite.js";
import { tempDirectory } from "./temp-directory.js";

/** ADW's own pattern tables, as its design creates them beside `workflow_history`, with one reviewed pattern. */
const ADW_PATTERNS_DDL = `${ADW_PATTERN_TABLES_DDL};
INSERT INTO operation_patterns (pattern_signature, pattern_type, automation_status, tool_name, tool_script_path,
  reviewed_by, reviewed_at, review_notes)
VALUES ('test:pytest:backend', 'test', 'approved', 'run_backend_tests', 'adws/tools/run_tests.py', 'alice',
  '2026-01-20 14:00:00', 'safe: read-only test run');`;

/** ADW's own insert of a run as it starts, with nothing of patternloop's columns. */
export const ADW_INSERT = `INSERT INTO workflow_history (adw_id, issue_number, nl_input, github_url, workflow_template,
  model_used, status, start_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** ADW's own update as a run ends. */
export const ADW_COMPLETE = `UPDATE workflow_history SET status = 'completed', end_time = ?, duration_seconds = ?,
  total_tokens = ?, actual_cost_total = ?, updated_at = CURRENT_TIMESTAMP WHERE adw_id = ?`;

/**
 * An ADW `workflow_history.db` as an ADW system leaves it, never seen by patternloop: `runs` runs of the
 * synthetic generator written with ADW's own columns (no tool calls: ADW's table has none), and ADW's
 * pattern tables. Returns the file, its directory and how many runs finished.
 */
export function generatedAdwHistory(runs: number): { directory: string; path: string; finished: number } {
  const directory = tempDirectory();
  const path = join(directory, "workflow_history.db");
  const records = runOk(["generate", "--runs", String(runs), "--seed", "17"])
    .stdout.trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  createSqlite(path, `${ADW_HISTORY_DDL}; ${ADW_PATTERNS_DDL}`);
  withSqlite(path, (database) => {
    const insert = database.prepare(
      `INSERT INTO workflow_history (adw_id, nl_input, workflow_template, model_used, status, start_time, end_time,
         duration_seconds, error_message, retry_count, input_tokens, output_tokens, cached_tokens, total_tokens,
         actual_cost_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const run of records) {
      // ADW writes Python's isoformat(): local time, no zone.
      const time = (value: string | null) => (value === null ? null : value.replace(/Z$/, ""));
      insert.run(
        run.adw_id,
        run.nl_input,
        run.workflow_template,
        run.model_used,
        run.status,
        time(run.start_time),
        time(run.end_time),
        run.duration_seconds === null ? null : Math.round(run.duration_seconds),
        run.error_message,
        run.retry_count ?? 0,
        run.input_tokens ?? 0,
        run.output_tokens ?? 0,
        run.cache_read_tokens ?? 0,
        run.total_tokens ?? 0,
        run.actual_cost_total ?? 0,
      );
    }
  });
  const finished = records.filter((run) => run.status === "completed" || run.status === "failed").length;
  return { directory, path, finished };
}
