import type { ToolCallUsage } from "../workflow-record.js";
import { costOfPart, type PricedUsage, splitEvenly, type UsagePart } from "./message-usage.js";
import type { CallDraft, MessageDraft, RunDraft } from "./session-drafts.js";

/**
 * The tokens and cost of each tool call of a run (§4). A model request's usage goes to the tool calls it
 * dealt with:
 * - the *read-back* part, its `input` and cache-creation tokens (the new prompt text, which holds the tool
 *   results it reads), goes evenly to the results of this run it was the next request after;
 * - the rest (output and cache reads, and the whole usage when it read no result) goes evenly to the
 *   `tool_use` blocks it issued.
 * No token is given twice, so a run's calls never add up to more than the run; a request that issued no
 * call and read no result (a closing answer) stays with the run alone.
 * Costs use the request's own rates (see {@link costOfPart}); a call with tokens of an unpriced model has
 * no cost.
 */
export function attributeUsage(
  run: RunDraft,
  priceOf: (message: MessageDraft) => PricedUsage | undefined,
): Map<CallDraft, ToolCallUsage> {
  const usage = new Map<CallDraft, ToolCallUsage>();
  for (const call of run.calls)
    usage.set(call, {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_creation_tokens: 0,
      cost_usd: 0,
    });
  const readBy = new Map<MessageDraft, CallDraft[]>();
  for (const call of run.calls) {
    const reader = call.reader;
    if (reader === undefined || reader.run !== run || reader === call.message || reader.synthetic) continue;
    const calls = readBy.get(reader);
    if (calls) calls.push(call);
    else readBy.set(reader, [call]);
  }
  for (const message of run.messages) {
    if (message.synthetic) continue;
    const priced = priceOf(message);
    const give = (calls: readonly CallDraft[], part: UsagePart) => {
      const shares = {
        input: splitEvenly(part.input, calls.length),
        output: splitEvenly(part.output, calls.length),
        cacheRead: splitEvenly(part.cacheRead, calls.length),
        cacheCreation: splitEvenly(part.cacheCreation, calls.length),
      };
      calls.forEach((call, i) => {
        const share: UsagePart = {
          input: shares.input[i] ?? 0,
          output: shares.output[i] ?? 0,
          cacheRead: shares.cacheRead[i] ?? 0,
          cacheCreation: shares.cacheCreation[i] ?? 0,
        };
        const target = usage.get(call) as ToolCallUsage;
        target.input_tokens += share.input;
        target.output_tokens += share.output;
        target.cache_read_tokens += share.cacheRead;
        target.cache_creation_tokens += share.cacheCreation;
        const tokens = share.input + share.output + share.cacheRead + share.cacheCreation;
        if (target.cost_usd === null) return;
        if (priced) target.cost_usd += costOfPart(share, message.usage, priced);
        else if (tokens > 0) target.cost_usd = null;
      });
    };
    const { input, output, cacheRead, cacheCreation } = message.usage;
    const read = readBy.get(message) ?? [];
    const issued = message.calls.filter((call) => usage.has(call));
    if (read.length > 0) {
      give(read, { input, output: 0, cacheRead: 0, cacheCreation });
      if (issued.length > 0) give(issued, { input: 0, output, cacheRead, cacheCreation: 0 });
    } else if (issued.length > 0) give(issued, { input, output, cacheRead, cacheCreation });
  }
  return usage;
}
