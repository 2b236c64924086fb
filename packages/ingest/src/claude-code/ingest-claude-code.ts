import {
  addMessageOwners,
  type ClaudeCodeTranscript,
  holdsCopies,
  type MessageOwners,
} from "@patternloop/core";
import {
  type IngestSource,
  type PatternloopDatabase,
  readIngestSources,
  runsOfPrompts,
  storeIngestedRuns,
} from "@patternloop/db";
import { findTranscripts } from "./find-transcripts.js";
import { emptySummary, type IngestClaudeCodeSummary } from "./ingest-claude-code-summary.js";
import { originalRuns } from "./original-runs.js";
import {
  type KnownTranscript,
  readTranscriptFile,
  readUnchangedTranscript,
  type TranscriptFileInfo,
} from "./read-transcript-file.js";
import { addTotals, totalsOf } from "./run-totals.js";
import { selectSessionRuns } from "./select-session-runs.js";
import {
  filesOf,
  groupSessions,
  type KeptTexts,
  parseSessionGroup,
  type SessionGroup,
} from "./session-groups.js";

/**
 * Characters of transcript text kept in memory between reading the files and parsing them (about as many
 * bytes for the ASCII of JSON): within it, each file is read, hashed and decoded once instead of three times.
 */
const KEPT_TEXT = 128 * 1024 * 1024;

/** The `ingest_sources.kind` of a Claude Code transcript file. */
export const TRANSCRIPT_KIND = "claude-code-transcript";

export interface IngestClaudeCodeOptions {
  /** Directories of transcripts, read recursively (see `transcriptDirs` for the defaults). */
  dirs: readonly string[];
  /** Runs that started before this time (ISO 8601 UTC) are held back, and their files read again next time. */
  since?: string | null;
  /** The time now, in ms: the last run of a session written to in the 30 minutes before is still running. */
  now?: number;
  /** Told of each file not read and each run not stored, in one line naming the file. */
  onProblem?: (problem: string) => void;
}

/**
 * Reads Claude Code session transcripts into runs and stores them. Incremental: a file whose size and content
 * hash are those recorded at its last ingestion is not read again (one whose size and modification time are
 * those recorded is not even read to be hashed); a changed file is read again whole and
 * updates the runs it holds (see `storeIngestedRuns`). The last run of a session written to in the last 30
 * minutes is stored `running` and its file read again next time, until the session is quiet. Each session is
 * one transaction, its bookkeeping included.
 *
 * ```ts
 * const summary = await ingestClaudeCode(database, { dirs: transcriptDirs(undefined).dirs });
 * console.log(`${summary.runs.added} runs added from ${summary.files.read} files`);
 * ```
 */
export async function ingestClaudeCode(
  database: PatternloopDatabase,
  options: IngestClaudeCodeOptions,
): Promise<IngestClaudeCodeSummary> {
  const { db } = database;
  const onProblem = options.onProblem ?? (() => {});
  const since = options.since ?? null;
  const now = options.now ?? Date.now();
  const paths = findTranscripts(options.dirs);
  const summary = emptySummary(options.dirs, paths.length);
  const known = await readIngestSources(db, TRANSCRIPT_KIND);
  const infos: TranscriptFileInfo[] = [];
  const kept = new Map<string, string>();
  let keptLength = 0;
  for (const path of paths) {
    const source = known.get(path);
    const same = source === undefined ? undefined : readUnchangedTranscript(path, knownTranscript(source));
    if (same !== undefined) {
      infos.push(same);
      continue;
    }
    const read = readTranscriptFile(path);
    if (read.ok) {
      infos.push(read.info);
      for (const line of read.info.invalidLines) onProblem(`${path}: line ${line}: skipped: not valid UTF-8`);
      // Kept for the passes below while they fit in KEPT_TEXT; the others are read again there.
      if (keptLength + read.text.length <= KEPT_TEXT) {
        kept.set(path, read.text);
        keptLength += read.text.length;
      }
    } else {
      summary.files.unreadable++;
      onProblem(`${read.path}: not readable (${read.problem})`);
    }
  }
  const changed = groupSessions(infos).filter((group) =>
    filesOf(group).some((file) => !unchanged(file, known.get(file.path))),
  );
  summary.files.unchanged = infos.length - changed.reduce((sum, group) => sum + filesOf(group).length, 0);

  // First pass over the changed sessions, one in memory at a time: the run each prompt made first, so that a
  // prompt a resumed session's transcript copied is stored once (a run stored before is the original), and
  // the run that counts each assistant message, so that the messages a resumed session copied are too.
  const owners: MessageOwners = new Map();
  const parsed = new Map<SessionGroup, ClaudeCodeTranscript>();
  const firstRuns = originalRuns(parsedGroups(changed, now, owners, kept, parsed));
  const originals = new Map([...firstRuns, ...(await runsOfPrompts(db, [...firstRuns.keys()]))]);

  for (const group of changed) {
    // A session the first pass kept is used as it was read unless it holds copies another session counts;
    // the others are parsed again, leaving those copies out.
    const first = parsed.get(group);
    parsed.delete(group);
    const transcript =
      first !== undefined && !holdsCopies(first, owners)
        ? first
        : parseSessionGroup(group, now, owners, kept);
    // Neither is needed again: memory goes down as the sessions are stored.
    for (const file of filesOf(group)) kept.delete(file.path);
    if (transcript === undefined) {
      summary.files.unreadable++;
      onProblem(`${group.main.path}: changed while being read; left for the next ingestion`);
      continue;
    }
    summary.files.read += filesOf(group).length;
    summary.runs.local_commands += transcript.local_commands;
    for (const [type, lines] of Object.entries(transcript.skipped))
      summary.skipped_lines[type] = (summary.skipped_lines[type] ?? 0) + lines;
    const selected = selectSessionRuns(transcript, originals, since);
    summary.runs.found += transcript.runs.length;
    summary.runs.copied += selected.copied;
    summary.runs.before_since += selected.beforeSince;
    summary.runs.invalid += selected.invalid.length;
    for (const { workflow_id, problem } of selected.invalid)
      onProblem(`${group.main.path}: run ${workflow_id} not stored: ${problem}`);
    const result = await storeIngestedRuns(db, {
      kind: TRANSCRIPT_KIND,
      sources: filesOf(group).map((file) => ({
        source: file.path,
        offset_bytes: file.size,
        content_hash: file.hash,
        modified_ms: file.modifiedMs,
      })),
      runs: selected.kept,
      // A file whose runs `since` held back is read again next time, so they are not lost for good.
      partial: selected.beforeSince > 0,
    });
    summary.runs.added += result.inserted;
    summary.runs.updated += result.updated;
    summary.runs.already_present += result.unchanged;
    summary.tool_calls_added += result.toolCalls;
    const totals = totalsOf(selected.kept);
    addTotals(summary.totals, totals);
    summary.sessions.push({
      session_id: transcript.session_ids[0] ?? group.main.sessionId,
      file: group.main.path,
      subagent_files: group.subagents.length,
      ...totals,
      runs_added: result.inserted,
      runs_updated: result.updated,
      unpriced_models: selected.unpriced,
      tokens_before_first_prompt: transcript.before_first_prompt.total_tokens,
    });
  }
  return summary;
}

/**
 * The first pass: each session parsed, its messages added to `owners`. A session whose texts are kept is
 * kept parsed too, in `parsed`, for the second pass to use rather than parse it again: its runs take about a
 * tenth of the memory of its texts, which are kept as well, for a session that must be parsed again.
 */
function* parsedGroups(
  groups: readonly SessionGroup[],
  now: number,
  owners: MessageOwners,
  kept: KeptTexts,
  parsed: Map<SessionGroup, ClaudeCodeTranscript>,
) {
  for (const group of groups) {
    const transcript = parseSessionGroup(group, now, undefined, kept);
    if (transcript === undefined) continue;
    addMessageOwners(owners, transcript.runs);
    if (filesOf(group).every((file) => kept.has(file.path))) parsed.set(group, transcript);
    yield transcript;
  }
}

function knownTranscript(source: IngestSource): KnownTranscript {
  return { size: Number(source.offset_bytes), modifiedMs: source.modified_ms, hash: source.content_hash };
}

function unchanged(file: TranscriptFileInfo, known: IngestSource | undefined): boolean {
  return known !== undefined && Number(known.offset_bytes) === file.size && known.content_hash === file.hash;
}
