import { findReader, indexText } from "./find-reader.js";
import { liveRunOf } from "./live-run.js";
import { NO_USAGE, readUsage } from "./message-usage.js";
import { runIdOf, runOf, usageOf } from "./run-record.js";
import {
  type CallDraft,
  extendRun,
  type MessageDraft,
  newRunDraft,
  type RunDraft,
} from "./session-drafts.js";
import { contentBlocks, readEntry, type TranscriptEntry, text, textOf } from "./transcript-entry.js";
import type { ClaudeCodeTranscript, MessageOwner, ParseTranscriptOptions } from "./transcript-result.js";
import { classifyUserLine } from "./user-line.js";

const API_ERROR_TEXT = /^\s*(?:API Error|Claude AI usage limit reached)/;

/**
 * Reads one Claude Code session transcript (the JSON Lines Claude Code keeps under `~/.claude/projects/`)
 * into its runs: one per prompt the user typed (or slash command that called the model), holding the
 * assistant turns, tool calls and subagent work up to the next prompt. Never throws: unparseable lines and
 * line types it does not use are counted in `skipped`.
 *
 * - A streamed message written on several lines (same `message.id`) counts once, with its last line's usage.
 * - Tool calls are the `tool_use` blocks, joined to their `tool_result` by id; success is `!is_error`.
 * - Subagent work counts for the run that launched it: sidechain entries, the messages Claude Code 2.x
 *   copies into `agent_progress` lines, and the subagent transcripts given in `options.subagents`
 *   (the same message or tool call seen in several of them counts once).
 * - A run is `failed` when it ended with an API error or an interruption by the user.
 * - Cost is priced per message with its own model; a model the price table does not know leaves the run
 *   without cost and is named in `unpriced_models`.
 * - With `options.now`, the last run of a session that wrote a line less than 30 minutes before it
 *   (`SESSION_QUIET_MS`) is `running`: its figures so far, no end. Read again once the session is quiet,
 *   the same run is final.
 *
 * @example
 * const { runs } = parseClaudeCodeTranscript(readFileSync(path, "utf8"));
 * for (const run of runs) console.log(run.record.nl_input, run.record.total_tokens, run.record.actual_cost_total);
 */
export function parseClaudeCodeTranscript(
  transcript: string,
  options: ParseTranscriptOptions = {},
): ClaudeCodeTranscript {
  const skipped: Record<string, number> = {};
  const skip = (type: string) => {
    skipped[type] = (skipped[type] ?? 0) + 1;
  };
  const texts = [transcript, ...(options.subagents ?? [])];
  const files = texts.map((content, file) => readEntries(content, file, skip));
  const lines = files.reduce((sum, entries) => sum + entries.lines, 0);

  const preamble = newRunDraft(undefined);
  const runs: RunDraft[] = [];
  const messages = new Map<string, MessageDraft>();
  const messageOfEntry = new Map<TranscriptEntry, MessageDraft>();
  const calls = new Map<string, CallDraft>();
  const results = new Map<string, CallDraft["result"]>();
  const sessionIds: string[] = [];

  const addAssistant = (entry: TranscriptEntry, run: RunDraft, subagent: boolean) => {
    const body = entry.message;
    if (body === undefined) return skip("assistant (no message)");
    const id = text(body.id) ?? entry.uuid ?? `${entry.file}:${entry.index}`;
    const model = text(body.model);
    const usage = readUsage(body);
    let message = messages.get(id);
    if (message === undefined) {
      message = {
        id,
        run,
        model,
        usage: usage ?? NO_USAGE,
        synthetic: model === "<synthetic>",
        subagent,
        calls: [],
      };
      messages.set(id, message);
      run.messages.push(message);
    } else {
      // The last line of a streamed message carries its final usage.
      if (usage) message.usage = usage;
      if (model) message.model = model;
    }
    messageOfEntry.set(entry, message);
    const blocks = contentBlocks(body);
    for (const block of blocks) {
      if (block.type !== "tool_use") continue;
      const toolUseId = text(block.id);
      if (toolUseId !== undefined && calls.has(toolUseId)) continue;
      const call: CallDraft = {
        toolUseId,
        name: text(block.name) ?? "unknown",
        input: block.input,
        message,
        entry,
        result: undefined,
        reader: undefined,
      };
      if (toolUseId !== undefined) calls.set(toolUseId, call);
      message.calls.push(call);
      message.run.calls.push(call);
    }
    extendRun(message.run, entry);
    if (subagent) return;
    const said = textOf(blocks);
    const failed = entry.apiErrorFlag || (message.synthetic && API_ERROR_TEXT.test(said));
    // A database cannot store NUL in text.
    if (failed)
      run.outcome = {
        kind: "api_error",
        message: said.replaceAll("\u0000", "").trim().slice(0, 1000) || "API error",
      };
    else if (!message.synthetic) run.outcome = { kind: "ok" };
  };

  const addResults = (entry: TranscriptEntry, run: RunDraft) => {
    for (const block of contentBlocks(entry.message)) {
      const id = block.type === "tool_result" ? text(block.tool_use_id) : undefined;
      if (id !== undefined && !results.has(id)) results.set(id, { is_error: block.is_error === true, entry });
    }
    extendRun(run, entry);
  };

  /** A subagent's line: it counts for `run`, the run that launched the subagent. */
  const addSubagentEntry = (entry: TranscriptEntry, run: RunDraft) => {
    if (entry.type === "assistant") addAssistant(entry, run, true);
    else if (entry.type === "user") addResults(entry, run);
    else skip(entry.type || "untyped");
  };

  let current = preamble;
  for (const entry of files[0]?.entries ?? []) {
    if (entry.sessionId !== undefined && !sessionIds.includes(entry.sessionId))
      sessionIds.push(entry.sessionId);
    if (entry.sidechain) {
      addSubagentEntry(entry, current);
      continue;
    }
    if (entry.subagentEntry) {
      addSubagentEntry(entry.subagentEntry, current);
      continue;
    }
    if (entry.type === "assistant") {
      addAssistant(entry, current, false);
      continue;
    }
    if (entry.type !== "user") {
      skip(entry.type || "untyped");
      continue;
    }
    const line = classifyUserLine(entry);
    switch (line.kind) {
      case "prompt":
        current = newRunDraft({ entry, line });
        runs.push(current);
        break;
      case "tool_results":
        addResults(entry, current);
        if (line.interrupted) current.outcome = { kind: "interrupted" };
        break;
      case "interruption":
        current.outcome = { kind: "interrupted" };
        extendRun(current, entry);
        break;
      case "local_output":
        if (current.prompt?.line.command && current.messages.length === 0) current.localOutput = true;
        break;
      case "continuation":
        extendRun(current, entry);
        break;
      case "meta":
        break;
    }
  }
  for (const entries of files.slice(1)) {
    for (const entry of entries.entries) addSubagentEntry(entry, runAt(runs, preamble, entry.time));
  }

  const messageOf = (entry: TranscriptEntry) => messageOfEntry.get(entry);
  // Subagent entries carried by `agent_progress` lines are searched like the lines they stand for.
  const indexes = files.map((entries) =>
    indexText(
      entries.entries.map((entry) => entry.subagentEntry ?? entry),
      messageOf,
    ),
  );
  for (const call of calls.values()) {
    const result = call.toolUseId === undefined ? undefined : results.get(call.toolUseId);
    if (result === undefined) continue;
    call.result = result;
    const index = indexes[result.entry.file];
    call.reader = index === undefined ? undefined : findReader(result.entry, index, messageOf);
  }

  const fallbackSession = options.sessionId ?? sessionIds[0] ?? "unknown-session";
  const owners = options.messageOwners;
  if (owners !== undefined)
    for (const run of [preamble, ...runs]) {
      if (run.first !== undefined) leaveOutCopies(run, runIdOf(run, fallbackSession), owners);
    }
  // The work a continued session did before its first prompt is counted too: a run of its own, first.
  // It answers a prompt typed in the session it continues, not this session's first prompt.
  const opened = hasWork(preamble) ? [preamble, ...runs] : runs;
  const kept = opened.filter((run) => !isLocalCommand(run));
  const live = liveRunOf(kept, options.now);
  const orderByTime = texts.length > 1;
  return {
    session_ids: sessionIds,
    runs: kept.map((run) => runOf(run, fallbackSession, orderByTime, run === live)),
    before_first_prompt: usageOf(preamble),
    lines,
    skipped,
    local_commands: opened.length - kept.length,
  };
}

/**
 * Drops from a run the messages another run counts (copies a resumed session made of the session it took
 * up), with the tool calls they issued, so that each message and call is counted once over all sessions.
 */
function leaveOutCopies(run: RunDraft, id: string, owners: ReadonlyMap<string, MessageOwner>): void {
  // A synthetic message is never counted, so no run owns it (see `addMessageOwners`): it stays where it is.
  const elsewhere = (message: MessageDraft) => {
    if (message.synthetic) return false;
    const owner = owners.get(message.id);
    return owner !== undefined && owner.workflow_id !== id;
  };
  run.messages = run.messages.filter((message) => !elsewhere(message));
  run.calls = run.calls.filter((call) => !elsewhere(call.message));
}

/** Whether a stretch holds anything to count: a model request or a tool call. */
function hasWork(run: RunDraft): boolean {
  return run.messages.length > 0 || run.calls.length > 0;
}

/** A slash command Claude Code ran itself: its output came back and no model request followed. */
function isLocalCommand(run: RunDraft): boolean {
  return run.localOutput && run.messages.length === 0 && run.calls.length === 0;
}

/** The run in progress at `time`: the last one whose prompt came at or before it. */
function runAt(runs: readonly RunDraft[], preamble: RunDraft, time: number): RunDraft {
  if (Number.isNaN(time)) return runs.at(-1) ?? preamble;
  for (let i = runs.length - 1; i >= 0; i--) {
    const start = (runs[i] as RunDraft).prompt?.entry.time ?? Number.NaN;
    if (!Number.isNaN(start) && start <= time) return runs[i] as RunDraft;
  }
  return preamble;
}

function readEntries(
  content: string,
  file: number,
  skip: (type: string) => void,
): { entries: TranscriptEntry[]; lines: number } {
  const entries: TranscriptEntry[] = [];
  let lines = 0;
  // Split at "\n" alone, far cheaper than a pattern: the "\r" of a CRLF line is whitespace to JSON.parse and trim.
  content.split("\n").forEach((line, index) => {
    const entry = readEntry(line, file, index);
    if (entry === undefined) return;
    lines++;
    if (entry === "unparseable") skip("unparseable");
    else entries.push(entry);
  });
  return { entries, lines };
}
