import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** How an occurrence's tokens and cost were attributed (§4). */
export const OCCURRENCE_ATTRIBUTIONS = ["share", "tool_calls"] as const;
export type OccurrenceAttribution = (typeof OCCURRENCE_ATTRIBUTIONS)[number];

/**
 * `pattern_occurrences`: a pattern observed in a workflow. UNIQUE (pattern_id, workflow_id), so recording
 * the same run twice is a conflict, not a second occurrence. Rows go away with their pattern or run.
 */
export interface PatternOccurrencesTable {
  id: Generated<number>;
  /** References `operation_patterns.id`. */
  pattern_id: number;
  /** References `workflow_history.workflow_id`. Indexed. */
  workflow_id: string;
  /** The run's workflow time, copied so statistics need no join. */
  workflow_time: string | null;
  tokens_attributed: number | null;
  /** USD. */
  cost_attributed: number | null;
  /** `share` (split of run totals) or `tool_calls` (usage of the matching turns). */
  attribution: OccurrenceAttribution | null;
  /** JSON: which source, span or command, and rule produced the detection. */
  evidence: string | null;
  /** Defaults to now. */
  detected_at: ColumnType<string, string | undefined, string>;
}

/** A `pattern_occurrences` row as read. */
export type PatternOccurrence = Selectable<PatternOccurrencesTable>;
/** A `pattern_occurrences` row to insert. */
export type NewPatternOccurrence = Insertable<PatternOccurrencesTable>;
/** A change to a `pattern_occurrences` row. */
export type PatternOccurrenceUpdate = Updateable<PatternOccurrencesTable>;
