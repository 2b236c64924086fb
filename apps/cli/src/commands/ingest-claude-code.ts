import { escapeLogText, toUtcIso } from "@patternloop/core";
import {
  type IngestClaudeCodeSummary,
  type IngestedSession,
  ingestClaudeCode,
  transcriptDirs,
} from "@patternloop/ingest";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, usd } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";
import { renderTable } from "../output/table.js";

export interface IngestClaudeCodeOptions extends DatabaseOption {
  dir?: string[];
  since?: string;
  json?: boolean;
  verbose?: boolean;
}

/**
 * `ingestClaudeCode` over the directories and `--since` of the command line, both checked before the database
 * is opened: a wrong directory or date leaves no database behind.
 */
export function loadClaudeCode(
  options: IngestClaudeCodeOptions,
  onProblem: (problem: string) => void,
): Promise<IngestClaudeCodeSummary> {
  const since = parseSince(options.since);
  const { dirs } = transcriptDirs(options.dir);
  return withDatabase(options, { create: true }, (database) =>
    ingestClaudeCode(database, { dirs, since, onProblem }),
  );
}

function parseSince(since: string | undefined): string | null {
  if (since === undefined) return null;
  const iso = toUtcIso(since);
  if (iso === null) throw new CliError(`--since: not a date: ${since}`);
  return iso;
}

/** The closing summary; with `verbose`, a table of the sessions read first. */
export function describeIngestClaudeCode(summary: IngestClaudeCodeSummary, verbose: boolean): string {
  const { files, runs, totals } = summary;
  const lines = [
    `read ${escapeLogText(summary.dirs.join(", "))}`,
    `files: ${count(files.found)} found, ${count(files.read)} read, ${count(files.unchanged)} unchanged (skipped)` +
      `${files.unreadable > 0 ? `, ${count(files.unreadable)} unreadable` : ""}`,
    `runs: ${count(runs.found)} found, ${count(runs.added)} added` +
      `${runs.updated > 0 ? `, ${count(runs.updated)} updated` : ""}, ${count(runs.already_present)} already present` +
      `${runs.before_since > 0 ? `, ${count(runs.before_since)} before --since` : ""}` +
      `${runs.copied > 0 ? `, ${count(runs.copied)} copies of a resumed session's runs skipped` : ""}` +
      `${runs.invalid > 0 ? `, ${count(runs.invalid)} refused` : ""}`,
    `tool calls: ${count(totals.tool_calls)} (${count(summary.tool_calls_added)} added)`,
    `tokens: ${count(totals.total_tokens)} (input ${count(totals.input_tokens)}, output ${count(totals.output_tokens)}, ` +
      `cache read ${count(totals.cache_read_tokens)}, cache creation ${count(totals.cache_creation_tokens)})`,
    `cost: ${totals.cost_usd === null ? "unknown (a model without a list price)" : usd(totals.cost_usd)}`,
  ];
  const table =
    verbose && summary.sessions.length > 0
      ? renderTable(
          [
            { header: "session", value: (s: IngestedSession) => s.session_id },
            { header: "runs", value: (s) => count(s.runs), align: "right" },
            { header: "added", value: (s) => count(s.runs_added), align: "right" },
            { header: "tool calls", value: (s) => count(s.tool_calls), align: "right" },
            { header: "tokens", value: (s) => count(s.total_tokens), align: "right" },
            { header: "cost", value: (s) => usd(s.cost_usd), align: "right" },
            { header: "unpriced models", value: (s) => s.unpriced_models.join(", ") },
          ],
          summary.sessions,
        )
      : "";
  return `${table}${lines.join("\n")}\n`;
}

/** `patternloop ingest claude-code`, under the `ingest` command. */
export function registerIngestClaudeCode(ingest: Command): void {
  ingest
    .command("claude-code")
    .description(
      "load Claude Code session transcripts (~/.claude/projects/**/*.jsonl) as runs, with tokens, cost and tool calls",
    )
    .option(
      "--dir <dir>",
      "a directory of transcripts, read recursively (repeatable; default: ~/.claude/projects, ~/.config/claude/projects, $CLAUDE_CONFIG_DIR/projects)",
      (dir: string, dirs: string[] = []) => [...dirs, dir],
    )
    .option("--since <date>", "skip runs that started before this date (ISO 8601)")
    .option("--db <url>", "database: SQLite file path, sqlite:…, or postgres://… (created if missing)")
    .option("--json", "print the summary as JSON")
    .option("--verbose", "a line per session: runs, tool calls, tokens, cost")
    .action(async (options: IngestClaudeCodeOptions) => {
      let problems = 0;
      const summary = await reportingProblems((report) =>
        loadClaudeCode(options, (problem) => {
          problems++;
          report(problem);
        }),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(summary)}\n`
          : describeIngestClaudeCode(summary, options.verbose === true),
      );
      if (problems > 0) process.exitCode = EXIT.failed;
    });
}
