import type { DetectedPattern } from "./detection/detected-pattern.js";
import { shareOfRun } from "./pattern-statistics.js";
import type { ToolCall, ToolCallUsage, WorkflowRecord } from "./workflow-record.js";

/** What one pattern of a run is charged, and how that was decided (§4). */
export interface PatternCost {
  tokens: number | null;
  cost: number | null;
  attribution: "share" | "tool_calls" | null;
}

const usageTokens = (usage: ToolCallUsage) =>
  usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_creation_tokens;

/**
 * Charges each pattern of a run. With per-tool-call usage (transcripts), a pattern is charged the usage of
 * the tool calls that performed it, a call shared by several patterns (`pytest && git diff`) split between
 * them; patterns without such calls share what is left of the run's totals. Without it, the run's totals are
 * split evenly. Either way the charges of a run's patterns never add up to more than the run cost.
 */
export function chargePatterns(record: WorkflowRecord, patterns: readonly DetectedPattern[]): PatternCost[] {
  const calls: readonly ToolCall[] = Array.isArray(record.tool_calls) ? record.tool_calls : [];
  const usageOf = (index: number) => calls[index]?.usage ?? undefined;
  const measured = (pattern: DetectedPattern) =>
    pattern.tool_call_indices.length > 0 &&
    pattern.tool_call_indices.every((index) => usageOf(index) !== undefined);
  const sharers = new Map<number, number>();
  for (const pattern of patterns.filter(measured)) {
    for (const index of pattern.tool_call_indices) sharers.set(index, (sharers.get(index) ?? 0) + 1);
  }
  const charges = patterns.map((pattern): PatternCost | undefined => {
    if (!measured(pattern)) return undefined;
    let tokens = 0;
    let cost: number | null = 0;
    for (const index of pattern.tool_call_indices) {
      const usage = usageOf(index) as ToolCallUsage;
      const split = sharers.get(index) ?? 1;
      tokens += usageTokens(usage) / split;
      cost = cost === null || usage.cost_usd === null ? null : cost + usage.cost_usd / split;
    }
    return { tokens: Math.floor(tokens), cost, attribution: "tool_calls" };
  });
  const rest = patterns.length - charges.filter((charge) => charge !== undefined).length;
  const usedTokens = charges.reduce((sum, charge) => sum + (charge?.tokens ?? 0), 0);
  const usedCost = charges.reduce((sum, charge) => sum + (charge?.cost ?? 0), 0);
  const remainder = shareOfRun(
    typeof record.total_tokens === "number" ? record.total_tokens - usedTokens : null,
    typeof record.actual_cost_total === "number" ? record.actual_cost_total - usedCost : null,
    rest,
  );
  const fallback: PatternCost = {
    ...remainder,
    attribution: remainder.tokens === null && remainder.cost === null ? null : "share",
  };
  return charges.map((charge) => charge ?? fallback);
}
