import {
  addAllToCharacteristicsSummary,
  addToCharacteristicsSummary,
  type CharacteristicsSummary,
  describeCharacteristicsSummary,
  emptyCharacteristicsSummary,
  type WorkflowCharacteristics,
} from "./characteristics.js";
import { addToAggregates, confidenceScore, emptyAggregates, type PatternAggregates } from "./confidence.js";

/** One occurrence of a pattern, with what it cost and how its run went. */
export interface OccurrenceObservation {
  /** Tokens attributed to this pattern in this run; null when the run has no token figures. */
  tokens: number | null;
  /** USD attributed to this pattern in this run; null when unknown. */
  cost: number | null;
  duration_seconds: number | null;
  /** The run completed without an error. */
  succeeded: boolean;
  had_error: boolean;
  retry_count: number | null;
  /** The run's workflow time (ISO 8601), if known. */
  workflow_time: string | null;
  characteristics: WorkflowCharacteristics;
}

/** Everything a store keeps per pattern so that each new occurrence costs O(1) (§4). */
export interface PatternState {
  aggregates: PatternAggregates;
  cost_sum: number;
  cost_n: number;
  first_seen: string | null;
  last_seen: string | null;
  summary: CharacteristicsSummary;
}

/**
 * The statistics of §4 kept per pattern, all derived from a {@link PatternState}. The tool figures and the
 * monthly savings are not among them: they depend on the whole history and on what the user assumes, so they
 * are derived when read (see `savingsFigures`).
 */
export interface PublishedStatistics {
  occurrence_count: number;
  confidence_score: number;
  avg_tokens_with_llm: number;
  avg_cost_with_llm: number;
  first_seen: string | null;
  last_seen: string | null;
  /** Null until the pattern has an occurrence. */
  typical_input_pattern: string | null;
}

export function emptyPatternState(): PatternState {
  return {
    aggregates: emptyAggregates(),
    cost_sum: 0,
    cost_n: 0,
    first_seen: null,
    last_seen: null,
    summary: emptyCharacteristicsSummary(),
  };
}

/**
 * Folds one occurrence into a pattern's state. Pure; folding the same occurrences in the same order always
 * gives the same state, which is what lets a full recompute match the incremental figures exactly.
 */
export function addOccurrence(state: PatternState, occurrence: OccurrenceObservation): PatternState {
  return {
    ...addToFigures(state, occurrence),
    summary: addToCharacteristicsSummary(state.summary, occurrence.characteristics),
  };
}

/**
 * {@link addOccurrence} of several occurrences, in order: the same state as folding them one by one, with
 * the keyword counts of the characteristics built once instead of once per occurrence.
 */
export function addOccurrences(
  state: PatternState,
  occurrences: readonly OccurrenceObservation[],
): PatternState {
  let figures: Omit<PatternState, "summary"> = state;
  for (const occurrence of occurrences) figures = addToFigures(figures, occurrence);
  return {
    ...figures,
    summary: addAllToCharacteristicsSummary(
      state.summary,
      occurrences.map((occurrence) => occurrence.characteristics),
    ),
  };
}

/** A state's figures but the characteristics summary, with one more occurrence. */
function addToFigures(
  state: Omit<PatternState, "summary">,
  occurrence: OccurrenceObservation,
): Omit<PatternState, "summary"> {
  const time = occurrence.workflow_time;
  return {
    aggregates: addToAggregates(state.aggregates, {
      succeeded: occurrence.succeeded,
      had_error: occurrence.had_error,
      retry_count: occurrence.retry_count,
      duration_seconds: occurrence.duration_seconds,
      tokens: occurrence.tokens,
    }),
    cost_sum: occurrence.cost === null ? state.cost_sum : state.cost_sum + occurrence.cost,
    cost_n: occurrence.cost === null ? state.cost_n : state.cost_n + 1,
    first_seen:
      time !== null && (state.first_seen === null || time < state.first_seen) ? time : state.first_seen,
    last_seen: time !== null && (state.last_seen === null || time > state.last_seen) ? time : state.last_seen,
  };
}

/** The figures of §4 for a state: means over the occurrences that had a figure. */
export function publishStatistics(state: PatternState): PublishedStatistics {
  const { aggregates } = state;
  const avgTokens = aggregates.tokens_n === 0 ? 0 : aggregates.tokens_sum / aggregates.tokens_n;
  const avgCost = state.cost_n === 0 ? 0 : state.cost_sum / state.cost_n;
  return {
    occurrence_count: aggregates.occurrence_count,
    confidence_score: confidenceScore(aggregates),
    avg_tokens_with_llm: avgTokens,
    avg_cost_with_llm: avgCost,
    first_seen: state.first_seen,
    last_seen: state.last_seen,
    typical_input_pattern:
      aggregates.occurrence_count === 0 ? null : describeCharacteristicsSummary(state.summary),
  };
}

const DAY_MS = 86_400_000;

/** Days between the earliest and the latest workflow time of a history; 0 when unknown. */
export function historySpanDays(earliest: string | null, latest: string | null): number {
  if (earliest === null || latest === null) return 0;
  const span = (Date.parse(latest) - Date.parse(earliest)) / DAY_MS;
  return Number.isFinite(span) && span > 0 ? span : 0;
}

/**
 * `(avg_cost_with_llm − avg_cost_with_tool) × occurrences per 30 days`, where occurrences per 30 days is
 * `count × 30 / max(30, history days)`: a history shorter than 30 days is never extrapolated upward (§4).
 */
export function monthlySavings(
  avgCostWithLlm: number,
  avgCostWithTool: number,
  occurrenceCount: number,
  historyDays: number,
): number {
  const perMonth = (occurrenceCount * 30) / Math.max(30, historyDays);
  return (avgCostWithLlm - avgCostWithTool) * perMonth;
}
