import { type CostBreakdown, costOf } from "../cost.js";
import { isObject } from "./transcript-entry.js";

/**
 * The tokens of one model request, from Anthropic's `usage` block. `input` excludes the cache buckets;
 * `cacheCreation` is all cache writes, of which `cache5m` / `cache1h` are the split by TTL when the
 * transcript gives it (Claude Code 1.0.8x and later).
 */
export interface MessageUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  cache5m: number | undefined;
  cache1h: number | undefined;
}

export const NO_USAGE: MessageUsage = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheCreation: 0,
  cache5m: undefined,
  cache1h: undefined,
});

/** Reads `message.usage`; undefined when the line has none. A negative or non-numeric count is 0. */
export function readUsage(message: Record<string, unknown> | undefined): MessageUsage | undefined {
  const usage = message?.usage;
  if (!isObject(usage)) return undefined;
  const split = isObject(usage.cache_creation) ? usage.cache_creation : undefined;
  const cache5m = split === undefined ? undefined : count(split.ephemeral_5m_input_tokens);
  const cache1h = split === undefined ? undefined : count(split.ephemeral_1h_input_tokens);
  const reported = usage.cache_creation_input_tokens;
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    // Only the split may be present; its sum is then the total.
    cacheCreation:
      typeof reported === "number" && Number.isFinite(reported)
        ? count(reported)
        : (cache5m ?? 0) + (cache1h ?? 0),
    cache5m,
    cache1h,
  };
}

export function totalTokens(usage: MessageUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheCreation;
}

/** A message's list-price cost, or undefined when the price table does not know its model. */
export interface PricedUsage {
  cost: number;
  breakdown: CostBreakdown;
}

export function priceUsage(usage: MessageUsage, model: string | undefined): PricedUsage | undefined {
  const result = costOf(
    {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_read_tokens: usage.cacheRead,
      cache_creation_tokens: usage.cacheCreation,
      cache_creation_5m_tokens: usage.cache5m,
      cache_creation_1h_tokens: usage.cache1h,
    },
    model,
  );
  return result.ok ? { cost: result.cost_usd, breakdown: result.breakdown } : undefined;
}

/** Token counts of part of a message, by billing bucket. */
export interface UsagePart {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

/**
 * The cost of part of a message at the very rates the whole message was billed at (its long-context tier,
 * its 5-minute / 1-hour mix of cache writes), so that the parts of a message never cost more than it did.
 */
export function costOfPart(part: UsagePart, whole: MessageUsage, priced: PricedUsage): number {
  const share = (tokens: number, of: number, usd: number) =>
    tokens === 0 || of === 0 ? 0 : (usd * tokens) / of;
  return (
    share(part.input, whole.input, priced.breakdown.input) +
    share(part.output, whole.output, priced.breakdown.output) +
    share(part.cacheRead, whole.cacheRead, priced.breakdown.cache_read) +
    share(part.cacheCreation, whole.cacheCreation, priced.breakdown.cache_write)
  );
}

/**
 * `total` split into `parts` shares as even as can be: whole numbers that add up to `total` exactly, the
 * first shares one larger when it does not divide.
 */
export function splitEvenly(total: number, parts: number): number[] {
  if (parts <= 0) return [];
  if (!Number.isInteger(total)) return Array.from({ length: parts }, () => total / parts);
  const base = Math.floor(total / parts);
  const rest = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < rest ? 1 : 0));
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
