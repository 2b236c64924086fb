import {
  type ClaudeCodeTranscript,
  escapeLogText,
  type IdentifiedWorkflowRecord,
  parseClaudeCodeTranscript,
  parseWorkflowRecord,
  toUtcIso,
} from "@patternloop/core";
import {
  type IngestSource,
  readIngestSources,
  refreshMonthlySavings,
  runsOfPrompts,
  storeIngestedRuns,
} from "@patternloop/db";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import { findTranscripts, transcriptDirs } from "../io/find-transcripts.js";
import { readTranscriptFile, type TranscriptFileInfo } from "../io/read-transcript-file.js";
import { filesOf, groupSessions, type SessionGroup } from "../io/session-groups.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, usd } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";
import { addFigures, emptyFigures, figuresOf, type RunFigures } from "../output/run-figures.js";
import { renderTable } from "../output/table.js";

/** The `ingest_sources.kind` of a Claude Code transcript file. */
export const TRANSCRIPT_KIND = "claude-code-transcript";

export interface IngestClaudeCodeOptions extends DatabaseOption {
  dir?: string[];
  since?: string;
  json?: boolean;
  verbose?: boolean;
}

/** One session read in this ingestion: the runs kept from it (stored now or before). */
export interface SessionReport extends RunFigures {
  session_id: string;
  file: string;
  subagent_files: number;
  runs_added: number;
  runs_updated: number;
  /** Models with tokens the price table does not know (their runs have no cost). */
  unpriced_models: string[];
  /** Tokens spent before the session's first prompt (a resumed or compacted session): in no run. */
  tokens_before_first_prompt: number;
}

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
  /** Figures of the runs kept (stored now or before), over all sessions read. */
  totals: RunFigures;
  /** Tool calls stored now. */
  tool_calls_added: number;
  skipped_lines: Record<string, number>;
  sessions: SessionReport[];
}

/**
 * Reads Claude Code session transcripts into runs and stores them (§2). Incremental: a file whose size and
 * content hash are those recorded at its last ingestion is not read again; a changed file is read again
 * whole and updates the runs it holds (see `storeIngestedRuns`). The last run of a session written to in the
 * last 30 minutes is stored `running` and its file read again next time, until the session is quiet. Each
 * session is one transaction, its bookkeeping included.
 */
export async function ingestClaudeCode(
  options: IngestClaudeCodeOptions,
  onProblem: (problem: string) => void,
): Promise<IngestClaudeCodeSummary> {
  const since = parseSince(options.since);
  const { dirs } = transcriptDirs(options.dir);
  const paths = findTranscripts(dirs);
  const summary = emptySummary(dirs, paths.length);
  const now = Date.now();
  return withDatabase(options, { create: true }, async ({ db }) => {
    const known = await readIngestSources(db, TRANSCRIPT_KIND);
    const infos: TranscriptFileInfo[] = [];
    for (const path of paths) {
      const read = readTranscriptFile(path);
      if (read.ok) {
        infos.push(read.info);
        for (const line of read.info.invalidLines)
          onProblem(`${path}: line ${line}: skipped: not valid UTF-8`);
      } else {
        summary.files.unreadable++;
        onProblem(`${read.path}: not readable (${read.problem})`);
      }
    }
    const groups = groupSessions(infos);
    const changed = groups.filter((group) =>
      filesOf(group).some((file) => !unchanged(file, known.get(file.path))),
    );
    summary.files.unchanged = infos.length - changed.reduce((sum, group) => sum + filesOf(group).length, 0);

    // First pass: the prompts of each changed session, so that a prompt a resumed session's transcript
    // copied is stored once, as its earliest (original) run.
    const firstOf = new Map<string, { start: string; workflow_id: string }>();
    for (const group of changed) {
      for (const run of parseGroup(group)?.runs ?? []) {
        const prompt = promptIdOf(run.record.workflow_id);
        const start = run.record.start_time ?? "";
        const seen = firstOf.get(prompt);
        if (seen === undefined || start < seen.start)
          firstOf.set(prompt, { start, workflow_id: run.record.workflow_id });
      }
    }
    const stored = await runsOfPrompts(db, [...firstOf.keys()]);

    for (const group of changed) {
      // Parsed again rather than kept from the first pass: one session's runs in memory at a time.
      const transcript = parseGroup(group);
      if (transcript === undefined) {
        summary.files.unreadable++;
        onProblem(`${group.main.path}: changed while being read; left for the next ingestion`);
        continue;
      }
      summary.files.read += filesOf(group).length;
      summary.runs.local_commands += transcript.local_commands;
      for (const [type, lines] of Object.entries(transcript.skipped))
        summary.skipped_lines[type] = (summary.skipped_lines[type] ?? 0) + lines;
      const kept: IdentifiedWorkflowRecord[] = [];
      const unpriced = new Set<string>();
      let beforeSince = 0;
      for (const run of transcript.runs) {
        const record = run.record;
        summary.runs.found++;
        const prompt = promptIdOf(record.workflow_id);
        const original = stored.get(prompt) ?? firstOf.get(prompt)?.workflow_id;
        if (original !== undefined && original !== record.workflow_id) {
          summary.runs.copied++;
          continue;
        }
        if (
          since !== null &&
          record.start_time !== null &&
          record.start_time !== undefined &&
          record.start_time < since
        ) {
          beforeSince++;
          continue;
        }
        const valid = parseWorkflowRecord(record);
        if (!valid.success) {
          summary.runs.invalid++;
          const issues = valid.issues
            .map((issue) => `${issue.path || "record"}: ${issue.message}`)
            .join("; ");
          onProblem(`${group.main.path}: run ${record.workflow_id} not stored: ${issues}`);
          continue;
        }
        kept.push(valid.record);
        for (const model of run.unpriced_models) unpriced.add(model);
      }
      summary.runs.before_since += beforeSince;
      const result = await storeIngestedRuns(db, {
        kind: TRANSCRIPT_KIND,
        sources: filesOf(group).map((file) => ({
          source: file.path,
          offset_bytes: file.size,
          content_hash: file.hash,
        })),
        runs: kept,
        // A file whose runs --since held back is read again next time, so they are not lost for good.
        partial: beforeSince > 0,
      });
      summary.runs.added += result.inserted;
      summary.runs.updated += result.updated;
      summary.runs.already_present += result.unchanged;
      summary.tool_calls_added += result.toolCalls;
      const figures = figuresOf(kept);
      addFigures(summary.totals, figures);
      summary.sessions.push({
        session_id: transcript.session_ids[0] ?? group.main.sessionId,
        file: group.main.path,
        subagent_files: group.subagents.length,
        ...figures,
        runs_added: result.inserted,
        runs_updated: result.updated,
        unpriced_models: [...unpriced],
        tokens_before_first_prompt: transcript.before_first_prompt.total_tokens,
      });
    }
    // New or changed finished runs move the history's span, which every pattern's monthly savings divide by.
    if (summary.runs.added + summary.runs.updated > 0) await refreshMonthlySavings(db);
    return summary;
  });

  function parseGroup(group: SessionGroup): ClaudeCodeTranscript | undefined {
    const texts: string[] = [];
    for (const file of filesOf(group)) {
      const read = readTranscriptFile(file.path);
      // The file changed between the two reads: its bookkeeping would not match what was parsed.
      if (!read.ok || read.info.hash !== file.hash) return undefined;
      texts.push(read.text);
    }
    return parseClaudeCodeTranscript(texts[0] ?? "", {
      subagents: texts.slice(1),
      sessionId: group.main.sessionId,
      now,
    });
  }
}

function unchanged(file: TranscriptFileInfo, known: IngestSource | undefined): boolean {
  return known !== undefined && Number(known.offset_bytes) === file.size && known.content_hash === file.hash;
}

function promptIdOf(workflowId: string): string {
  return workflowId.slice(workflowId.lastIndexOf(":") + 1);
}

function parseSince(since: string | undefined): string | null {
  if (since === undefined) return null;
  const iso = toUtcIso(since);
  if (iso === null) throw new CliError(`--since: not a date: ${since}`);
  return iso;
}

function emptySummary(dirs: string[], found: number): IngestClaudeCodeSummary {
  return {
    dirs,
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
    totals: emptyFigures(),
    tool_calls_added: 0,
    skipped_lines: {},
    sessions: [],
  };
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
            { header: "session", value: (s: SessionReport) => s.session_id },
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
        ingestClaudeCode(options, (problem) => {
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
