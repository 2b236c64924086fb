import { emptyTotals, type RunTotals } from "./run-totals.js";

/** One session read in an ingestion: the runs kept from it (stored now or before). */
export interface IngestedSession extends RunTotals {
  session_id: string;
  file: string;
  subagent_files: number;
  runs_added: number;
  runs_updated: number;
  /** Models with tokens the price table does not know (their runs have no cost). */
  unpriced_models: string[];
  /** Tokens spent before the session's first prompt (a continued session): the session's first run, without a request. */
  tokens_before_first_prompt: number;
}

/** What {@link ingestClaudeCode} found and stored. */
export interface IngestClaudeCodeSummary {
  dirs: string[];
  files: { found: number; read: number; unchanged: number; unreadable: number };
  runs: {
    found: number;
    added: number;
    /** Stored runs that changed in their transcript (a session that went on): updated. */
    updated: number;
    already_present: number;
    before_since: number;
    /** Runs a resumed session's transcript copied from the session it resumed: stored once, under the original. */
    copied: number;
    local_commands: number;
    /** Runs the record schema refused (reported one by one). */
    invalid: number;
  };
  /** Totals of the runs kept (stored now or before), over all sessions read. */
  totals: RunTotals;
  /** Tool calls stored now. */
  tool_calls_added: number;
  skipped_lines: Record<string, number>;
  sessions: IngestedSession[];
}

export function emptySummary(dirs: readonly string[], found: number): IngestClaudeCodeSummary {
  return {
    dirs: [...dirs],
    files: { found, read: 0, unchanged: 0, unreadable: 0 },
    runs: {
      found: 0,
      added: 0,
      updated: 0,
      already_present: 0,
      before_since: 0,
      copied: 0,
      local_commands: 0,
      invalid: 0,
    },
    totals: emptyTotals(),
    tool_calls_added: 0,
    skipped_lines: {},
    sessions: [],
  };
}
