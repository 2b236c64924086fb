import type { IdentifiedWorkflowRecord } from "../workflow-record.js";

/** Options of {@link parseClaudeCodeTranscript}. */
export interface ParseTranscriptOptions {
  /**
   * The texts of the session's subagent transcripts (`agent-*.jsonl`), when Claude Code kept them apart.
   * Their entries belong to the run in progress at their time.
   */
  subagents?: readonly string[];
  /** Session id to use for lines that carry none (e.g. the file name without `.jsonl`). */
  sessionId?: string;
  /**
   * The time of reading (epoch ms), for a transcript that may still be being written: a session whose
   * latest line is less than `SESSION_QUIET_MS` older may still be writing its last run, which is then
   * `running`. Without it every run is final.
   */
  now?: number;
  /**
   * Which run counts each message, over all the sessions being read (see {@link addMessageOwners}): a
   * message another run counts (a copy a resumed session made) is left out here, with its tool calls.
   */
  messageOwners?: ReadonlyMap<string, MessageOwner>;
}

/** One run of a session, with what the record alone cannot say. */
export interface TranscriptRun {
  record: IdentifiedWorkflowRecord;
  /** The distinct assistant messages (`message.id`) whose usage makes up the run's totals, in order. */
  message_ids: string[];
  /** Of those, the ones from subagents. */
  subagent_messages: number;
  /** Models with tokens in this run that the price table does not know: the run then has no cost. */
  unpriced_models: string[];
}

/** Tokens, cost and tool calls of a stretch of a session. */
export interface TranscriptUsage {
  messages: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  total_tokens: number;
  /** Null when a model with tokens is not in the price table. */
  cost_usd: number | null;
}

/** What one session transcript holds. */
export interface ClaudeCodeTranscript {
  /** Session ids seen on the lines, in order of appearance (usually one). */
  session_ids: string[];
  runs: TranscriptRun[];
  /**
   * Work before the first prompt (a continued or resumed session starts so). It is also the first of `runs`:
   * a run without a request (`nl_input` null), with the id `session:session`.
   */
  before_first_prompt: TranscriptUsage;
  /** Lines read (blank lines excluded), over all the texts. */
  lines: number;
  /** Lines not used, by their `type` (`progress`, `system`, …); `unparseable` for lines that are not JSON objects. */
  skipped: Record<string, number>;
  /** Slash commands Claude Code ran locally (`/clear`, `/model`, …): prompts that made no run. */
  local_commands: number;
}

/** The run that counts one assistant message. */
export interface MessageOwner {
  workflow_id: string;
  /** The run's start (ISO 8601), `""` when unknown. */
  start_time: string;
}

/**
 * For each assistant message (`message.id`), the run that counts it. A resumed or continued session's
 * transcript starts with copies of messages of the session it took up (same `message.id`, same line `uuid`,
 * a new `sessionId` and timestamp), so one message can sit in runs of two sessions; it is counted once.
 */
export type MessageOwners = Map<string, MessageOwner>;
