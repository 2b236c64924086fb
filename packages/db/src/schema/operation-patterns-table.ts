import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** The `automation_status` lifecycle of §4, enforced by a CHECK constraint. */
export const AUTOMATION_STATUSES = [
  "detected",
  "candidate",
  "approved",
  "implemented",
  "active",
  "deprecated",
] as const;
export type AutomationStatus = (typeof AUTOMATION_STATUSES)[number];

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * `operation_patterns`: one row per distinct signature (UNIQUE `pattern_signature`) with its statistics
 * (§4). Besides the published figures it keeps running sums so that one new occurrence is O(1) work and a
 * recount is never needed: means are `sum / n`, variances `sq_sum / n − (sum / n)²`.
 */
export interface OperationPatternsTable {
  id: Generated<number>;
  /** `category:subcategory:target`. UNIQUE. */
  pattern_signature: string;
  /** The category (`test`, `build`, …). */
  pattern_type: string;
  /** Distinct workflows the pattern occurred in. */
  occurrence_count: Defaulted<number>;
  /** 0–100 (CHECK). */
  confidence_score: Defaulted<number>;
  avg_tokens_with_llm: Defaulted<number>;
  avg_cost_with_llm: Defaulted<number>;
  /**
   * Kept for the ADW schema and left at 0: the savings figures are derived when read (see `withSavings`),
   * since they move with the whole history and with the tool-cost share assumed.
   */
  avg_tokens_with_tool: Defaulted<number>;
  avg_cost_with_tool: Defaulted<number>;
  potential_monthly_savings: Defaulted<number>;
  automation_status: Defaulted<AutomationStatus>;
  /** JSON summary of the occurrences' characteristics. */
  typical_input_pattern: string | null;
  /** NULL until a prediction of the pattern is validated, then `correct_count / validated_count` (0–1). */
  prediction_accuracy: number | null;
  /** Earliest workflow time among the occurrences. */
  first_seen: string | null;
  /** Latest workflow time among the occurrences. */
  last_seen: string | null;
  created_at: Defaulted<string>;
  updated_at: Defaulted<string>;
  /** Sum of attributed tokens over the occurrences that had a token figure. */
  tokens_sum: Defaulted<number>;
  tokens_sq_sum: Defaulted<number>;
  /** Occurrences that had a token figure. */
  tokens_n: Defaulted<number>;
  /** Sum of attributed USD over the occurrences that had a cost figure. */
  cost_sum: Defaulted<number>;
  /** Occurrences that had a cost figure. */
  cost_n: Defaulted<number>;
  /** Sum of the runs' `duration_seconds`. */
  duration_sum: Defaulted<number>;
  duration_sq_sum: Defaulted<number>;
  duration_n: Defaulted<number>;
  /** Occurrences in completed runs without an error. */
  success_count: Defaulted<number>;
  /** Occurrences in failed runs or runs with an error message. */
  error_count: Defaulted<number>;
  retry_sum: Defaulted<number>;
  /** Validated predictions of the pattern. */
  validated_count: Defaulted<number>;
  /** Validated predictions that were correct. */
  correct_count: Defaulted<number>;
  /**
   * Patterns a run had that were not predicted for it, counted when the run's predictions were first
   * validated (the false negatives, judged at the same moment as `correct_count`).
   */
  missed_count: Defaulted<number>;
  /** JSON accumulator behind `typical_input_pattern`. */
  characteristics_summary: string | null;
  /** The script `automate` wrote for the pattern, as a path from its project's root; NULL before. */
  tool_script_path: ColumnType<string | null, string | null | undefined, string | null>;
  /** ADW-era review columns, carried over from an adopted ADW `operation_patterns` table; NULL otherwise. */
  tool_name: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_by: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_at: ColumnType<string | null, string | null | undefined, string | null>;
  review_notes: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An `operation_patterns` row as read. */
export type OperationPattern = Selectable<OperationPatternsTable>;
/** An `operation_patterns` row to insert. */
export type NewOperationPattern = Insertable<OperationPatternsTable>;
/** A change to an `operation_patterns` row. */
export type OperationPatternUpdate = Updateable<OperationPatternsTable>;
