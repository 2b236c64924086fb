import { costOf } from "@patternloop/core";
import type { Random } from "./random.js";

/** A run's token totals and its list-price cost (a type alias, so that a record built on it is a core record). */
export type RunUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_read_tokens: number;
  total_tokens: number;
  /** USD, rounded to a millionth; null only if the model were unknown to the price table. */
  actual_cost_total: number | null;
};

/** Compaction point: the conversation is summarised before a prompt would cross the long-context tier. */
const CONTEXT_LIMIT = 180_000;

/**
 * Simulates the turns of a run the way Claude Code's usage reads: the first turn writes the system prompt
 * to the cache, every later turn reads the conversation so far from it and writes the newest tool result.
 * Each turn is priced on its own with {@link costOf} (the long-context tier is decided per request), and
 * the run's cost is the sum.
 */
export function drawRunUsage(random: Random, turns: number, model: string): RunUsage {
  const usage = { input_tokens: 0, output_tokens: 0, cache_creation_tokens: 0, cache_read_tokens: 0 };
  let cost: number | null = 0;
  let context = 0;
  for (let turn = 0; turn < turns; turn++) {
    const input = random.int(2, 60);
    const output = random.int(60, 900);
    const written = turn === 0 ? random.int(12_000, 26_000) : random.int(200, 5_000);
    const read = context;
    usage.input_tokens += input;
    usage.output_tokens += output;
    usage.cache_creation_tokens += written;
    usage.cache_read_tokens += read;
    const priced = costOf(
      { input_tokens: input, output_tokens: output, cache_creation_tokens: written, cache_read_tokens: read },
      model,
    );
    cost = priced.ok && cost !== null ? cost + priced.cost_usd : null;
    context += written + output;
    if (context > CONTEXT_LIMIT) context = random.int(20_000, 40_000);
  }
  return {
    ...usage,
    total_tokens:
      usage.input_tokens + usage.output_tokens + usage.cache_creation_tokens + usage.cache_read_tokens,
    actual_cost_total: cost === null ? null : Math.round(cost * 1e6) / 1e6,
  };
}
