import { PRICE_TABLE_VERSION, resolveModelPrice, type TokenPrices } from "./pricing.js";

/**
 * Token counts of one request, as in Anthropic's `usage` block: `input_tokens` excludes the cache buckets.
 * Missing or null counts are 0.
 */
export interface TokenUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_tokens?: number | null;
  /** All cache writes; the part not split into 5-minute / 1-hour below is billed as 5-minute writes. */
  cache_creation_tokens?: number | null;
  cache_creation_5m_tokens?: number | null;
  cache_creation_1h_tokens?: number | null;
}

/** USD per bucket. */
export interface CostBreakdown {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

export type CostResult =
  | {
      ok: true;
      cost_usd: number;
      breakdown: CostBreakdown;
      model_family: string;
      price_table_version: string;
      /** True when the request was billed at the model's long-context tier. */
      long_context: boolean;
    }
  | { ok: false; reason: "unknown_model" | "invalid_usage" };

/**
 * List-price cost of one request. Price each request (each assistant turn) on its own: the long-context
 * tier is decided per request, so summed usage of a whole run would cross 200k tokens when no single
 * request did.
 *
 * @example
 * const cost = costOf({ input_tokens: 1_000, output_tokens: 500 }, "claude-sonnet-4-5-20250929");
 * if (cost.ok) console.log(cost.cost_usd); // 0.0105
 */
export function costOf(usage: TokenUsage, model: string | null | undefined): CostResult {
  const counts = billableTokens(usage);
  if (counts === undefined) return { ok: false, reason: "invalid_usage" };
  const resolved = resolveModelPrice(model);
  if (resolved === undefined) return { ok: false, reason: "unknown_model" };

  const tier = resolved.prices.long_context;
  const promptTokens = counts.input + counts.cacheRead + counts.write5m + counts.write1h;
  const longContext = tier !== undefined && promptTokens > tier.threshold_tokens;
  const rates: TokenPrices = longContext && tier ? tier : resolved.prices;
  const breakdown: CostBreakdown = {
    input: usd(counts.input, rates.input),
    output: usd(counts.output, rates.output),
    cache_read: usd(counts.cacheRead, rates.cache_read),
    cache_write: usd(counts.write5m, rates.cache_write_5m) + usd(counts.write1h, rates.cache_write_1h),
  };
  return {
    ok: true,
    cost_usd: breakdown.input + breakdown.output + breakdown.cache_read + breakdown.cache_write,
    breakdown,
    model_family: resolved.model_family,
    price_table_version: PRICE_TABLE_VERSION,
    long_context: longContext,
  };
}

interface BillableTokens {
  input: number;
  output: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
}

/** Token counts per billed bucket; undefined when a count is negative or not finite. */
function billableTokens(usage: TokenUsage): BillableTokens | undefined {
  const input = tokens(usage.input_tokens);
  const output = tokens(usage.output_tokens);
  const cacheRead = tokens(usage.cache_read_tokens);
  const total = tokens(usage.cache_creation_tokens);
  const split5m = tokens(usage.cache_creation_5m_tokens);
  const split1h = tokens(usage.cache_creation_1h_tokens);
  if (
    input === undefined ||
    output === undefined ||
    cacheRead === undefined ||
    total === undefined ||
    split5m === undefined ||
    split1h === undefined
  ) {
    return undefined;
  }
  // Anthropic reports the total of cache writes and, in newer versions, its split by TTL. Whatever the
  // split does not cover was written with the default 5-minute TTL; a total below the split is ignored.
  const unsplit = Math.max(0, total - split5m - split1h);
  return { input, output, cacheRead, write5m: split5m + unsplit, write1h: split1h };
}

/** A usable count, 0 for missing, undefined for a negative or non-finite one. */
function tokens(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return 0;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function usd(count: number, perMillion: number): number {
  return (count * perMillion) / 1_000_000;
}
