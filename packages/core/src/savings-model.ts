import { monthlySavings } from "./pattern-statistics.js";

/**
 * What the savings figures assume. They are derived whenever they are read, from a pattern's stored LLM
 * averages, its occurrence count and the span of the whole history, so they follow every new run and every
 * change of assumption and are never stale.
 */
export interface SavingsModel {
  /** Cost of a deterministic tool as a share of the LLM cost; 0.05 is the 95 % reduction such tools show. */
  toolCostShare: number;
}

export const DEFAULT_SAVINGS_MODEL: SavingsModel = Object.freeze({ toolCostShare: 0.05 });

/** The figures a {@link SavingsModel} gives a pattern. */
export interface SavingsFigures {
  avg_tokens_with_tool: number;
  avg_cost_with_tool: number;
  /** What scripting it would save in 30 days at the history's pace. */
  potential_monthly_savings: number;
}

/** The aggregates a pattern's savings are derived from. */
export interface SavingsBasis {
  avg_tokens_with_llm: number;
  avg_cost_with_llm: number;
  occurrence_count: number;
}

/** The one definition of the savings figures, for a pattern in a history of `historyDays` days. */
export function savingsFigures(
  basis: SavingsBasis,
  historyDays: number,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): SavingsFigures {
  const avgCostWithTool = basis.avg_cost_with_llm * model.toolCostShare;
  return {
    avg_tokens_with_tool: basis.avg_tokens_with_llm * model.toolCostShare,
    avg_cost_with_tool: avgCostWithTool,
    potential_monthly_savings: monthlySavings(
      basis.avg_cost_with_llm,
      avgCostWithTool,
      basis.occurrence_count,
      historyDays,
    ),
  };
}

/** A tool-cost share a user gave, or why it is not one: a share of the LLM cost, from 0 to 1. */
export function parseToolCostShare(text: string): number | string {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1)
    return `not a share of the LLM cost between 0 and 1 (e.g. 0.05 for 5 %): ${JSON.stringify(text)}`;
  return value;
}
