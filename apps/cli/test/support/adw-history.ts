import { join } from "node:path";
import { runOk } from "./history.js";
import { createSqlite, withSqlite } from "./sqlite.js";
import { tempDirectory } from "./temp-directory.js";

/** The `workflow_history` table of ADW systems, exactly as they create it. */
export const ADW_DDL = `CREATE TABLE IF NOT EXISTS workflow_history (id INTEGER PRIMARY KEY AUTOINCREMENT, adw_id TEXT NOT NULL UNIQUE, issue_number INTEGER, nl_input TEXT, github_url TEXT, workflow_template TEXT, model_used TEXT, status TEXT NOT NULL CHECK(status IN ('pending','running','completed','failed')), start_time TEXT, end_time TEXT, duration_seconds INTEGER, error_message TEXT, phase_count INTEGER, current_phase TEXT, success_rate REAL, retry_count INTEGER DEFAULT 0, worktree_path TEXT, backend_port INTEGER, frontend_port INTEGER, concurrent_workflows INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, cached_tokens INTEGER DEFAULT 0, cache_hit_tokens INTEGER DEFAULT 0, cache_miss_tokens INTEGER DEFAULT 0, total_tokens INTEGER DEFAULT 0, cache_efficiency_percent REAL DEFAULT 0.0, estimated_cost_total REAL DEFAULT 0.0, actual_cost_total REAL DEFAULT 0.0, estimated_cost_per_step REAL DEFAULT 0.0, actual_cost_per_step REAL DEFAULT 0.0, cost_per_token REAL DEFAULT 0.0, structured_input TEXT, cost_breakdown TEXT, token_breakdown TEXT, worktree_reused INTEGER DEFAULT 0, steps_completed INTEGER DEFAULT 0, steps_total INTEGER DEFAULT 0, created_at TEXT DEFAULT CURRENT_TIMESTAMP, updated_at TEXT DEFAULT CURRENT_TIMESTAMP)`;

/** ADW's own pattern tables, as its design creates them beside `workflow_history`, with one reviewed pattern. */
export const ADW_PATTERNS_DDL = `
CREATE TABLE operation_patterns (id INTEGER PRIMARY KEY AUTOINCREMENT, pattern_signature TEXT UNIQUE NOT NULL,
  pattern_type TEXT NOT NULL, first_detected TEXT DEFAULT (datetime('now')), last_seen TEXT DEFAULT (datetime('now')),
  occurrence_count INTEGER DEFAULT 1, typical_input_pattern TEXT, typical_operations TEXT, typical_files_accessed TEXT,
  avg_tokens_with_llm INTEGER DEFAULT 0, avg_cost_with_llm REAL DEFAULT 0.0, avg_tokens_with_tool INTEGER DEFAULT 0,
  avg_cost_with_tool REAL DEFAULT 0.0, potential_monthly_savings REAL DEFAULT 0.0,
  automation_status TEXT DEFAULT 'detected' CHECK(automation_status IN ('detected', 'candidate', 'approved', 'implemented', 'active', 'deprecated')),
  confidence_score REAL DEFAULT 0.0, tool_name TEXT, tool_script_path TEXT, reviewed_by TEXT, reviewed_at TEXT,
  review_notes TEXT, created_at TEXT DEFAULT (datetime('now')), updated_at TEXT DEFAULT (datetime('now')));
CREATE TABLE pattern_occurrences (id INTEGER PRIMARY KEY AUTOINCREMENT, pattern_id INTEGER NOT NULL,
  workflow_id TEXT NOT NULL, similarity_score REAL DEFAULT 0.0, matched_characteristics TEXT,
  detected_at TEXT DEFAULT (datetime('now')), FOREIGN KEY (pattern_id) REFERENCES operation_patterns(id));
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
  createSqlite(path, `${ADW_DDL}; ${ADW_PATTERNS_DDL}`);
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
