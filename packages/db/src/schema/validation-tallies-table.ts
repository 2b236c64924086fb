/**
 * `validation_tallies`: per pattern, origin (`replayed` 0 for live predictions, 1 for those backfill
 * replayed) and UTC day (`YYYY-MM-DD`) of validation, how many predictions were validated and how many of
 * them were right. Kept by the validation itself, in the transaction that sets `validated_at`; the integrity
 * check recounts it from `pattern_predictions`.
 */
export interface ValidationTalliesTable {
  pattern_id: number;
  replayed: number;
  day: string;
  validations: number;
  correct: number;
}
