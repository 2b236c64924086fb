import type { IdentifiedWorkflowRecord, TranscriptUsage } from "@patternloop/core";

/** Tokens, tool calls and cost of a set of runs, summed. */
export type RunTotals = Omit<TranscriptUsage, "messages"> & { runs: number };

export function emptyTotals(): RunTotals {
  return {
    runs: 0,
    tool_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    total_tokens: 0,
    cost_usd: 0,
  };
}

/** The totals of some runs; the cost is unknown (null) as soon as one run's is. */
export function totalsOf(records: readonly IdentifiedWorkflowRecord[]): RunTotals {
  const totals = emptyTotals();
  for (const record of records) {
    totals.runs++;
    totals.tool_calls += record.tool_calls?.length ?? 0;
    totals.input_tokens += record.input_tokens ?? 0;
    totals.output_tokens += record.output_tokens ?? 0;
    totals.cache_read_tokens += record.cache_read_tokens ?? 0;
    totals.cache_creation_tokens += record.cache_creation_tokens ?? 0;
    totals.total_tokens += record.total_tokens ?? 0;
    const cost = record.actual_cost_total;
    totals.cost_usd =
      totals.cost_usd === null || cost === null || cost === undefined ? null : totals.cost_usd + cost;
  }
  return totals;
}

export function addTotals(into: RunTotals, totals: RunTotals): void {
  into.runs += totals.runs;
  into.tool_calls += totals.tool_calls;
  into.input_tokens += totals.input_tokens;
  into.output_tokens += totals.output_tokens;
  into.cache_read_tokens += totals.cache_read_tokens;
  into.cache_creation_tokens += totals.cache_creation_tokens;
  into.total_tokens += totals.total_tokens;
  into.cost_usd = into.cost_usd === null || totals.cost_usd === null ? null : into.cost_usd + totals.cost_usd;
}
