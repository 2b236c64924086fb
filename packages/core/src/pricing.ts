/**
 * Date the list prices below were checked against Anthropic's published pricing. Stored next to every
 * computed cost so an old figure can be told apart from one priced with a newer table.
 */
export const PRICE_TABLE_VERSION = "2026-11-01";

/** Prompt size (input + cache read + cache write tokens) above which a long-context tier applies. */
export const LONG_CONTEXT_THRESHOLD_TOKENS = 200_000;

/** USD per million tokens for each billing bucket of one request. */
export interface TokenPrices {
  input: number;
  output: number;
  /** Writing to the 5-minute prompt cache (the default TTL). */
  cache_write_5m: number;
  cache_write_1h: number;
  cache_read: number;
}

/** A model family's rates; `long_context` replaces all of them for a request whose prompt exceeds its threshold. */
export interface ModelPrices extends TokenPrices {
  long_context?: TokenPrices & { threshold_tokens: number };
}

export interface ResolvedModelPrice {
  /** Canonical id prefix of the family, e.g. `claude-sonnet-4-5`. */
  model_family: string;
  prices: ModelPrices;
}

/** Anthropic derives every cache rate from the input rate: writes 1.25× (5 min) or 2× (1 h), reads 0.1×. */
function listPrices(input: number, output: number): TokenPrices {
  return Object.freeze({
    input,
    output,
    cache_write_5m: input * 1.25,
    cache_write_1h: input * 2,
    cache_read: input * 0.1,
  });
}

/** Frozen so that a caller editing a resolved price cannot change the table for everyone else. */
function withLongContext(prices: TokenPrices, longContext: TokenPrices): ModelPrices {
  return Object.freeze({
    ...prices,
    long_context: Object.freeze({ ...longContext, threshold_tokens: LONG_CONTEXT_THRESHOLD_TOKENS }),
  });
}

// Sonnet 4 and 4.5 with the 1M context window bill the whole request at these rates past 200k prompt tokens.
const SONNET_4 = withLongContext(listPrices(3, 15), listPrices(6, 22.5));

const FAMILIES: Readonly<Record<string, ModelPrices>> = Object.freeze({
  "claude-opus-4-8": listPrices(5, 25),
  "claude-opus-4-7": listPrices(5, 25),
  "claude-opus-4-6": listPrices(5, 25),
  "claude-opus-4-5": listPrices(5, 25),
  "claude-opus-4-1": listPrices(15, 75),
  "claude-opus-4": listPrices(15, 75),
  "claude-sonnet-4-6": listPrices(3, 15),
  "claude-sonnet-4-5": SONNET_4,
  "claude-sonnet-4": SONNET_4,
  "claude-haiku-4-5": listPrices(1, 5),
  "claude-3-7-sonnet": listPrices(3, 15),
  // Retired, but old histories still name them.
  "claude-3-5-sonnet": listPrices(3, 15),
  "claude-3-opus": listPrices(15, 75),
  "claude-3-5-haiku": listPrices(0.8, 4),
  "claude-3-haiku": listPrices(0.25, 1.25),
});

/** Claude Code's short model names mean the newest model of the family in this table. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  opus: "claude-opus-4-8",
  sonnet: "claude-sonnet-4-6",
  haiku: "claude-haiku-4-5",
};

// After the family prefix only a snapshot date, `-latest` or the `-0` alias (`claude-sonnet-4-0`) may follow;
// anything else is a different model (`claude-opus-4-6` must not be priced as Opus 4).
const SUFFIX = /^(?:\d{8}|latest|0)$/;

/**
 * The list prices of a model, from its API id, a dated snapshot, an alias, a Bedrock / Vertex / OpenRouter
 * spelling or a Claude Code short name (`opus`, `sonnet`, `haiku`). Undefined for a model the table does
 * not know, so that callers report it instead of pricing it wrongly.
 *
 * @example resolveModelPrice("claude-sonnet-4-5-20250929")?.prices.input // 3
 */
export function resolveModelPrice(model: string | null | undefined): ResolvedModelPrice | undefined {
  if (!model) return undefined;
  if (resolved.has(model)) return resolved.get(model);
  const result = lookUp(model);
  // Histories name a handful of models over and over; the table is fixed, so the answer never changes.
  if (resolved.size < MAX_CACHED_MODELS) resolved.set(model, result);
  return result;
}

const MAX_CACHED_MODELS = 1000;
const resolved = new Map<string, ResolvedModelPrice | undefined>();

function lookUp(model: string): ResolvedModelPrice | undefined {
  const id = normalizeModelId(model);
  const family =
    (Object.hasOwn(SHORT_NAMES, id) ? SHORT_NAMES[id] : undefined) ??
    Object.keys(FAMILIES).find((name) => matchesFamily(id, name));
  const prices = family === undefined || !Object.hasOwn(FAMILIES, family) ? undefined : FAMILIES[family];
  return family === undefined || prices === undefined ? undefined : { model_family: family, prices };
}

function matchesFamily(id: string, family: string): boolean {
  if (id === family) return true;
  return id.startsWith(`${family}-`) && SUFFIX.test(id.slice(family.length + 1));
}

function normalizeModelId(model: string): string {
  return (
    model
      .trim()
      .toLowerCase()
      // Claude Code marks the 1M-context variant as `sonnet[1m]`; the tier is chosen per request anyway.
      .replace(/\[1m\]$/, "")
      // Bedrock `us.anthropic.claude-…-v1:0`, OpenRouter `anthropic/claude-…`, Vertex `claude-…@20250929`.
      .replace(/^(?:[a-z]+\.)?anthropic[./]/, "")
      .replace(/-v\d+(?::\d+)?$/, "")
      .replace(/@.*$/, "")
      // OpenRouter writes versions with a dot: `claude-sonnet-4.5`.
      .replace(/(\d)\.(\d)/g, "$1-$2")
  );
}
