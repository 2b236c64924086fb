import { toUtcIso } from "../utc-time.js";
import type { IdentifiedWorkflowRecord, ToolCall } from "../workflow-record.js";
import { attributeUsage } from "./attribute-usage.js";
import { type PricedUsage, priceUsage, totalTokens } from "./message-usage.js";
import type { CallDraft, MessageDraft, RunDraft } from "./session-drafts.js";
import type { TranscriptEntry } from "./transcript-entry.js";
import type { TranscriptRun, TranscriptUsage } from "./transcript-result.js";

/** Sums a run's messages (each once; synthetic ones are never billed) and prices them. */
export function usageOf(run: RunDraft): TranscriptUsage & { unpriced_models: string[] } {
  const sum = {
    messages: 0,
    tool_calls: run.calls.length,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    total_tokens: 0,
    cost_usd: 0 as number | null,
  };
  const unpriced = new Set<string>();
  for (const message of run.messages) {
    if (message.synthetic) continue;
    const usage = message.usage;
    sum.messages++;
    sum.input_tokens += usage.input;
    sum.output_tokens += usage.output;
    sum.cache_read_tokens += usage.cacheRead;
    sum.cache_creation_tokens += usage.cacheCreation;
    sum.total_tokens += totalTokens(usage);
    if (totalTokens(usage) === 0) continue;
    const priced = priceUsage(usage, message.model);
    if (priced === undefined) unpriced.add(message.model ?? "(no model)");
    else if (sum.cost_usd !== null) sum.cost_usd += priced.cost;
  }
  if (unpriced.size > 0) sum.cost_usd = null;
  return { ...sum, unpriced_models: [...unpriced] };
}

/**
 * The workflow record of a draft: a finished run, or one still being written (`live`), which is `running`,
 * with its figures so far and no end, duration or failure yet.
 */
export function runOf(
  run: RunDraft,
  fallbackSession: string,
  orderByTime: boolean,
  live = false,
): TranscriptRun {
  const opening = openingOf(run);
  const id = runIdOf(run, fallbackSession);
  const totals = usageOf(run);
  const prices = new Map<MessageDraft, PricedUsage | undefined>();
  const priceOf = (message: MessageDraft) => {
    if (!prices.has(message)) prices.set(message, priceUsage(message.usage, message.model));
    return prices.get(message);
  };
  const usage = attributeUsage(run, priceOf);
  const calls = orderByTime ? [...run.calls].sort(byTime) : run.calls;
  const start = opening.time;
  const failure = live
    ? null
    : run.outcome?.kind === "api_error"
      ? run.outcome.message
      : run.outcome?.kind === "interrupted"
        ? "interrupted by the user"
        : null;
  const record: IdentifiedWorkflowRecord = {
    workflow_id: id,
    adw_id: id,
    nl_input: run.prompt?.line.nl_input ?? null,
    workflow_template: run.prompt?.line.template ?? null,
    status: live ? "running" : failure === null ? "completed" : "failed",
    start_time: toUtcIso(opening.timestamp),
    end_time: live ? null : toUtcIso(run.endText),
    duration_seconds:
      live || Number.isNaN(start) || Number.isNaN(run.end)
        ? null
        : Math.max(0, Math.round(run.end - start) / 1000),
    error_message: failure,
    retry_count: 0,
    input_tokens: totals.input_tokens,
    output_tokens: totals.output_tokens,
    cache_read_tokens: totals.cache_read_tokens,
    cache_creation_tokens: totals.cache_creation_tokens,
    total_tokens: totals.total_tokens,
    actual_cost_total: totals.cost_usd,
    model_used: mainModel(run.messages),
    tool_calls: calls.map((call) => toolCallOf(call, usage.get(call) ?? null)),
    // The directory the session ran in names its project (see `projectOfRecord`).
    ...(opening.cwd === undefined ? {} : { cwd: opening.cwd }),
  };
  return {
    record,
    message_ids: run.messages.filter((message) => !message.synthetic).map((message) => message.id),
    subagent_messages: run.messages.filter((message) => message.subagent && !message.synthetic).length,
    unpriced_models: totals.unpriced_models,
  };
}

/**
 * The stable id of a run: `session:uuid` of its prompt line. A continued session's work before its first
 * prompt is a run without a request, `session:session`: not by its first line, which may be a copy of a line
 * of the session it took up (same `uuid`) and would then pass for that session's run.
 */
export function runIdOf(run: RunDraft, fallbackSession: string): string {
  const opening = openingOf(run);
  const session = opening.sessionId ?? fallbackSession;
  if (run.prompt === undefined) return `${session}:${session}`;
  return `${session}:${opening.uuid ?? opening.timestamp ?? `line-${opening.index + 1}`}`;
}

function openingOf(run: RunDraft): TranscriptEntry {
  const opening = run.prompt?.entry ?? run.first;
  if (opening === undefined) throw new TypeError("a run needs a line to start from");
  return opening;
}

function toolCallOf(call: CallDraft, usage: ToolCall["usage"]): ToolCall {
  const end = call.result?.entry.time ?? Number.NaN;
  const duration = end - call.entry.time;
  return {
    tool_name: call.name,
    tool_input: call.input ?? {},
    success: call.result === undefined ? null : !call.result.is_error,
    duration_ms: Number.isFinite(duration) && duration >= 0 ? duration : null,
    timestamp: toUtcIso(call.entry.timestamp),
    tool_use_id: call.toolUseId ?? null,
    usage,
  };
}

/** The model that wrote the most output tokens (the first such on a tie). */
function mainModel(messages: readonly MessageDraft[]): string | null {
  const output = new Map<string, number>();
  for (const message of messages) {
    if (message.synthetic || message.model === undefined) continue;
    output.set(message.model, (output.get(message.model) ?? 0) + message.usage.output);
  }
  let best: string | null = null;
  let most = -1;
  for (const [model, tokens] of output) {
    if (tokens > most) {
      best = model;
      most = tokens;
    }
  }
  return best;
}

/** Calls by time (subagent transcripts come after the session's lines); ties and unknown times keep their order. */
function byTime(a: CallDraft, b: CallDraft): number {
  const difference = a.entry.time - b.entry.time;
  return Number.isNaN(difference) ? 0 : difference;
}
