import type { DetectedPattern } from "./detection/detected-pattern.js";
import { PatternloopCoreError } from "./errors.js";
import type { ToolCall, ToolCallUsage, WorkflowRecord } from "./workflow-record.js";

/**
 * How a pattern's tokens and cost in a run were decided:
 * - `tool_calls`: measured, the usage of the turns that issued and read its tool calls (transcripts);
 * - `share`: estimated from the run's totals, its share of the run's tool calls times
 *   {@link TOOL_CALL_SHARE_FACTOR} (see {@link chargePatterns}).
 */
export type Attribution = "share" | "tool_calls";

/** What one pattern of a run is charged, and how that was decided; all null when the run says nothing. */
export interface PatternCost {
  tokens: number | null;
  cost: number | null;
  attribution: Attribution | null;
}

/**
 * The factor a pattern's share of its run's tool calls is scaled by when only run totals are known.
 *
 * Calibrated on the 29 real session transcripts of `../shared/data/transcripts` (152 runs, each message
 * counted once), where each call's turns are known: over the 249 occurrences with measured calls, the
 * unscaled share of the run's cost comes to 1.32 times the measured round-trip cost of the pattern's calls in
 * total (median 1.41×, 79 % of occurrences within 2×), so 0.758 makes the totals match, rounded down here so
 * as not to overstate savings. The even split of the run over its patterns that this replaces overstated 4.86
 * times in total (median 7.14×, 11 % within 2×). Reproduce with `pnpm calibrate:cost-share`
 * (`scripts/calibrate-cost-share.ts`).
 */
export const TOOL_CALL_SHARE_FACTOR = 0.75;

/** Options of {@link chargePatterns}. */
export interface CostAttributionOptions {
  /**
   * Scales a pattern's share of its run's tool calls (default {@link TOOL_CALL_SHARE_FACTOR}). Between 0 and
   * 1, so that a run's patterns are never charged more than the run cost.
   */
  toolCallShareFactor?: number;
}

const usageTokens = (usage: ToolCallUsage) =>
  usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_creation_tokens;

/**
 * Charges each pattern of a run (§4).
 *
 * With per-tool-call usage (transcripts), a pattern is charged the usage of its tool calls, a call shared by
 * several patterns (`pytest && git diff`) split between them. Without it, a pattern is charged its share of
 * the run's tool calls, a call matched by k patterns counting 1/k for each, times the factor: 2 of a run's
 * 10 calls, factor 0.75, charge 0.15 of the run's totals (of what the measured patterns left, in a run
 * where only some calls have usage).
 *
 * A pattern with no tool call of its own (detected from the request, the error or the template) and any
 * pattern of a run without tool calls get no cost evidence (null): nothing in the run shows what that
 * operation cost, and charging it a part of the run is the even split that overstated about five times.
 * The charges of a run's patterns never add up to more than the run cost.
 *
 * @throws {PatternloopCoreError} `invalid_cost_share_factor` when the factor is not between 0 and 1.
 */
export function chargePatterns(
  record: WorkflowRecord,
  patterns: readonly DetectedPattern[],
  options: CostAttributionOptions = {},
): PatternCost[] {
  const factor = options.toolCallShareFactor ?? TOOL_CALL_SHARE_FACTOR;
  if (!(Number.isFinite(factor) && factor >= 0 && factor <= 1)) {
    throw new PatternloopCoreError(
      "invalid_cost_share_factor",
      `the tool-call share factor must be between 0 and 1, got ${factor}`,
    );
  }
  const calls: readonly ToolCall[] = Array.isArray(record.tool_calls) ? record.tool_calls : [];
  const usageOf = (index: number) => calls[index]?.usage ?? undefined;
  const measured = (pattern: DetectedPattern) =>
    pattern.tool_call_indices.length > 0 &&
    pattern.tool_call_indices.every((index) => usageOf(index) !== undefined);
  const matchers = (only: (pattern: DetectedPattern) => boolean) => {
    const count = new Map<number, number>();
    for (const pattern of patterns.filter(only)) {
      for (const index of new Set(pattern.tool_call_indices)) count.set(index, (count.get(index) ?? 0) + 1);
    }
    return count;
  };
  const measuredSharers = matchers(measured);
  const allSharers = matchers(() => true);

  const charges = patterns.map((pattern): PatternCost | undefined => {
    if (!measured(pattern)) return undefined;
    let tokens = 0;
    let cost: number | null = 0;
    for (const index of new Set(pattern.tool_call_indices)) {
      const usage = usageOf(index) as ToolCallUsage;
      const split = measuredSharers.get(index) ?? 1;
      tokens += usageTokens(usage) / split;
      cost = cost === null || usage.cost_usd === null ? null : cost + usage.cost_usd / split;
    }
    return { tokens: Math.floor(tokens), cost, attribution: "tool_calls" };
  });

  const usedTokens = charges.reduce((sum, charge) => sum + (charge?.tokens ?? 0), 0);
  const usedCost = charges.reduce((sum, charge) => sum + (charge?.cost ?? 0), 0);
  const leftTokens = typeof record.total_tokens === "number" ? record.total_tokens - usedTokens : null;
  const leftCost = typeof record.actual_cost_total === "number" ? record.actual_cost_total - usedCost : null;
  const noEvidence: PatternCost = { tokens: null, cost: null, attribution: null };
  return patterns.map((pattern, i) => {
    const charge = charges[i];
    if (charge !== undefined) return charge;
    let callShare = 0;
    for (const index of new Set(pattern.tool_call_indices)) {
      if (index < calls.length) callShare += 1 / (allSharers.get(index) ?? 1);
    }
    if (callShare === 0) return noEvidence;
    const part = (factor * callShare) / calls.length;
    const tokens = leftTokens !== null && leftTokens > 0 ? Math.floor(leftTokens * part) : null;
    const cost = leftCost !== null && leftCost > 0 ? leftCost * part : null;
    return tokens === null && cost === null ? noEvidence : { tokens, cost, attribution: "share" };
  });
}

/**
 * What a cost figure of this attribution assumes, in one sentence for a reader of the output.
 *
 * @example
 * describeAttribution("share"); // "its share of the run's tool calls × 0.75 (calibrated on transcripts)"
 */
export function describeAttribution(attribution: Attribution, options: CostAttributionOptions = {}): string {
  if (attribution === "tool_calls") return "the turns that issued and read its tool calls (transcripts)";
  const factor = options.toolCallShareFactor ?? TOOL_CALL_SHARE_FACTOR;
  const provenance =
    factor === TOOL_CALL_SHARE_FACTOR ? "calibrated on transcripts" : "factor set by the caller";
  return `its share of the run's tool calls × ${factor} (${provenance})`;
}
