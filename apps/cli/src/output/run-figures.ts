import type { IdentifiedWorkflowRecord, TranscriptUsage } from "@patternloop/core";

/** Tokens and cost of a set of runs. */
export type RunFigures = Omit<TranscriptUsage, "messages"> & { runs: number };

export function emptyFigures(): RunFigures {
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

/** The figures of some runs; the cost is unknown (null) as soon as one run's is. */
export function figuresOf(records: readonly IdentifiedWorkflowRecord[]): RunFigures {
  const figures = emptyFigures();
  for (const record of records) {
    figures.runs++;
    figures.tool_calls += record.tool_calls?.length ?? 0;
    figures.input_tokens += record.input_tokens ?? 0;
    figures.output_tokens += record.output_tokens ?? 0;
    figures.cache_read_tokens += record.cache_read_tokens ?? 0;
    figures.cache_creation_tokens += record.cache_creation_tokens ?? 0;
    figures.total_tokens += record.total_tokens ?? 0;
    const cost = record.actual_cost_total;
    figures.cost_usd =
      figures.cost_usd === null || cost === null || cost === undefined ? null : figures.cost_usd + cost;
  }
  return figures;
}

export function addFigures(into: RunFigures, figures: RunFigures): void {
  into.runs += figures.runs;
  into.tool_calls += figures.tool_calls;
  into.input_tokens += figures.input_tokens;
  into.output_tokens += figures.output_tokens;
  into.cache_read_tokens += figures.cache_read_tokens;
  into.cache_creation_tokens += figures.cache_creation_tokens;
  into.total_tokens += figures.total_tokens;
  into.cost_usd =
    into.cost_usd === null || figures.cost_usd === null ? null : into.cost_usd + figures.cost_usd;
}
