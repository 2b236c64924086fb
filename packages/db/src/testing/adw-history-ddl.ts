/**
 * The tables of an ADW system's `workflow_history.db`, as ADW creates them: the history that patternloop adopts
 * and reads, and the pattern tables ADW's design puts beside it. Tests of adoption build their files from these,
 * so that each suite starts from the same ADW schema.
 */

/** The `workflow_history` table of ADW systems, exactly as they create it. */
export const ADW_HISTORY_DDL = `CREATE TABLE IF NOT EXISTS workflow_history (id INTEGER PRIMARY KEY AUTOINCREMENT, adw_id TEXT NOT NULL UNIQUE, issue_number INTEGER, nl_input TEXT, github_url TEXT, workflow_template TEXT, model_used TEXT, status TEXT NOT NULL CHECK(status IN ('pending','running','completed','failed')), start_time TEXT, end_time TEXT, duration_seconds INTEGER, error_message TEXT, phase_count INTEGER, current_phase TEXT, success_rate REAL, retry_count INTEGER DEFAULT 0, worktree_path TEXT, backend_port INTEGER, frontend_port INTEGER, concurrent_workflows INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, cached_tokens INTEGER DEFAULT 0, cache_hit_tokens INTEGER DEFAULT 0, cache_miss_tokens INTEGER DEFAULT 0, total_tokens INTEGER DEFAULT 0, cache_efficiency_percent REAL DEFAULT 0.0, estimated_cost_total REAL DEFAULT 0.0, actual_cost_total REAL DEFAULT 0.0, estimated_cost_per_step REAL DEFAULT 0.0, actual_cost_per_step REAL DEFAULT 0.0, cost_per_token REAL DEFAULT 0.0, structured_input TEXT, cost_breakdown TEXT, token_breakdown TEXT, worktree_reused INTEGER DEFAULT 0, steps_completed INTEGER DEFAULT 0, steps_total INTEGER DEFAULT 0, created_at TEXT DEFAULT CURRENT_TIMESTAMP, updated_at TEXT DEFAULT CURRENT_TIMESTAMP)`;

/** ADW's own pattern tables, `operation_patterns` and `pattern_occurrences`, as its design creates them. */
export const ADW_PATTERN_TABLES_DDL = `
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
  detected_at TEXT DEFAULT (datetime('now')), FOREIGN KEY (pattern_id) REFERENCES operation_patterns(id))`;
