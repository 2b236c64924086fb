import {
  type CharacteristicsSummary,
  emptyCharacteristicsSummary,
  type PatternState,
} from "@patternloop/core";
import type { OperationPattern, OperationPatternUpdate } from "../schema/operation-patterns-table.js";

/** The fold state of a pattern as its row stores it. */
export function stateFromRow(row: OperationPattern): PatternState {
  return {
    aggregates: {
      occurrence_count: row.occurrence_count,
      success_count: row.success_count,
      error_count: row.error_count,
      retry_sum: row.retry_sum,
      duration_n: row.duration_n,
      duration_sum: row.duration_sum,
      duration_sq_sum: row.duration_sq_sum,
      tokens_n: row.tokens_n,
      tokens_sum: row.tokens_sum,
      tokens_sq_sum: row.tokens_sq_sum,
    },
    cost_sum: row.cost_sum,
    cost_n: row.cost_n,
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    summary: parseSummary(row.characteristics_summary),
  };
}

/** The columns that hold a fold state. */
export function stateColumns(state: PatternState): OperationPatternUpdate {
  return {
    ...state.aggregates,
    cost_sum: state.cost_sum,
    cost_n: state.cost_n,
    first_seen: state.first_seen,
    last_seen: state.last_seen,
    characteristics_summary: JSON.stringify(state.summary),
  };
}

function parseSummary(json: string | null): CharacteristicsSummary {
  if (json === null) return emptyCharacteristicsSummary();
  return { ...emptyCharacteristicsSummary(), ...(JSON.parse(json) as CharacteristicsSummary) };
}
