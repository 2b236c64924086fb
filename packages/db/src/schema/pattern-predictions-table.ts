import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * `pattern_predictions`: what was predicted at run start (§6). UNIQUE (workflow_id, pattern_id); rows go
 * away with their run or pattern.
 */
export interface PatternPredictionsTable {
  id: Generated<number>;
  /** References `workflow_history.workflow_id`. */
  workflow_id: string;
  /** The id of the run-start request that made the prediction, when known. */
  request_id: string | null;
  /** References `operation_patterns.id`. Indexed with `validated_at`. */
  pattern_id: number;
  pattern_signature: string;
  /** Defaults to now. */
  predicted_at: ColumnType<string, string | undefined, string>;
  /** 0–100 (CHECK). */
  predicted_confidence: number;
  /** Human-readable reason. */
  prediction_reason: string | null;
  /** 1 correct, 0 wrong, NULL not validated yet. */
  was_correct: number | null;
  validated_at: string | null;
  validation_notes: string | null;
  /** 1 when backfill replayed it over the history, 0 when made live at run start (the default). */
  replayed: ColumnType<number, number | undefined, number>;
}

/** A `pattern_predictions` row as read. */
export type PatternPrediction = Selectable<PatternPredictionsTable>;
/** A `pattern_predictions` row to insert. */
export type NewPatternPrediction = Insertable<PatternPredictionsTable>;
/** A change to a `pattern_predictions` row. */
export type PatternPredictionUpdate = Updateable<PatternPredictionsTable>;
