import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** The outcome of validating one run's stored predictions. */
export interface StoredValidation {
  /** Every predicted signature of the run, validated now or before. */
  predicted: string[];
  /** Predictions validated by this call (0 when they already were: validating twice changes nothing). */
  newly_validated: number;
  /** Patterns whose `prediction_accuracy` moved. */
  updated_patterns: { pattern_signature: string; prediction_accuracy: number }[];
}

/**
 * Validates a run's stored predictions against its actual patterns (§6), in the caller's transaction:
 * sets `was_correct` and `validated_at` on the predictions not validated yet, and moves the affected
 * patterns' validated and correct counts and `prediction_accuracy` (= correct / validated, exactly what a
 * recount gives). Pattern rows are updated in id order, so concurrent writers cannot deadlock.
 */
export async function validateStoredPredictions(
  trx: Kysely<Database>,
  workflowId: string,
  actual: readonly string[],
  notes: string | null = null,
): Promise<StoredValidation> {
  const all = await trx
    .selectFrom("pattern_predictions")
    .select("pattern_signature")
    .where("workflow_id", "=", workflowId)
    .orderBy("pattern_signature")
    .execute();
  const predicted = all.map((row) => row.pattern_signature);
  if (predicted.length === 0) return { predicted, newly_validated: 0, updated_patterns: [] };
  const actualSet = new Set(actual);
  const now = new Date().toISOString();
  const validated: { pattern_id: number; was_correct: number | null }[] = [];
  for (const correct of [1, 0]) {
    const signatures = predicted.filter((signature) => actualSet.has(signature) === (correct === 1));
    if (signatures.length === 0) continue;
    validated.push(
      ...(await trx
        .updateTable("pattern_predictions")
        .set({ was_correct: correct, validated_at: now, validation_notes: notes })
        .where("workflow_id", "=", workflowId)
        .where("validated_at", "is", null)
        .where("pattern_signature", "in", signatures)
        .returning(["pattern_id", "was_correct"])
        .execute()),
    );
  }
  const updated_patterns: StoredValidation["updated_patterns"] = [];
  for (const { pattern_id, was_correct } of validated.sort((a, b) => a.pattern_id - b.pattern_id)) {
    const correct = was_correct ?? 0;
    const moved = await trx
      .updateTable("operation_patterns")
      .set((eb) => ({
        validated_count: eb("validated_count", "+", 1),
        correct_count: eb("correct_count", "+", correct),
        prediction_accuracy: sql<number>`cast(correct_count + ${correct} as double precision) / (validated_count + 1)`,
        updated_at: now,
      }))
      .where("id", "=", pattern_id)
      .returning(["pattern_signature", "prediction_accuracy"])
      .executeTakeFirstOrThrow();
    updated_patterns.push({
      pattern_signature: moved.pattern_signature,
      prediction_accuracy: moved.prediction_accuracy as number,
    });
  }
  return { predicted, newly_validated: validated.length, updated_patterns };
}
