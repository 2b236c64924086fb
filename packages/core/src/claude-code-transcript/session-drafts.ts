import type { MessageUsage } from "./message-usage.js";
import type { TranscriptEntry } from "./transcript-entry.js";
import type { UserLine } from "./user-line.js";

/** How a run ended, as far as the transcript shows. */
export type RunOutcome = { kind: "ok" } | { kind: "api_error"; message: string } | { kind: "interrupted" };

/** A run being assembled; the stretch before the first prompt is one too, without a prompt. */
export interface RunDraft {
  prompt: { entry: TranscriptEntry; line: Extract<UserLine, { kind: "prompt" }> } | undefined;
  /** The first line of its work: its prompt, or for the stretch before the first prompt its earliest line. */
  first: TranscriptEntry | undefined;
  /** Latest time of a line of the run's work (ms), NaN until one is seen. */
  end: number;
  endText: string | undefined;
  messages: MessageDraft[];
  calls: CallDraft[];
  outcome: RunOutcome | undefined;
  /** A local command's output came before any model call: the "prompt" was `/clear`, `/model`, …. */
  localOutput: boolean;
}

/** One assistant message: all the lines that share its `message.id`. */
export interface MessageDraft {
  id: string;
  /** The run in progress at its first line. */
  run: RunDraft;
  model: string | undefined;
  /** The usage of its last line. */
  usage: MessageUsage;
  /** Written by Claude Code itself (model `<synthetic>`): an API error or a placeholder, never billed. */
  synthetic: boolean;
  subagent: boolean;
  calls: CallDraft[];
}

/** One `tool_use` block, with its result once seen. */
export interface CallDraft {
  toolUseId: string | undefined;
  name: string;
  input: unknown;
  message: MessageDraft;
  entry: TranscriptEntry;
  result: { is_error: boolean; entry: TranscriptEntry } | undefined;
  /** The next model request after the result: the message that read it. */
  reader: MessageDraft | undefined;
}

export function newRunDraft(prompt: RunDraft["prompt"]): RunDraft {
  const draft: RunDraft = {
    prompt,
    first: undefined,
    end: Number.NaN,
    endText: undefined,
    messages: [],
    calls: [],
    outcome: undefined,
    localOutput: false,
  };
  if (prompt) extendRun(draft, prompt.entry);
  return draft;
}

/** Moves the run's end to this line's time when it is later (and notes its first line). */
export function extendRun(run: RunDraft, entry: TranscriptEntry): void {
  run.first ??= entry;
  if (Number.isNaN(entry.time)) return;
  if (Number.isNaN(run.end) || entry.time > run.end) {
    run.end = entry.time;
    run.endText = entry.timestamp;
  }
}
