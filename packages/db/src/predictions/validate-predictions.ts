import { CompiledQuery, type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
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

/** A finished run to validate: its id and the signatures of the patterns it actually had. */
export interface ActualPatterns {
  workflow_id: string;
  actual: readonly string[];
}

/** The outcome of validating several runs' stored predictions. */
export interface StoredValidations {
  /** Per run, in the order given (`updated_patterns` is left to the batch: see below). */
  runs: Omit<StoredValidation, "updated_patterns">[];
  /** Patterns whose `prediction_accuracy` moved, with their accuracy after the whole batch. */
  updated_patterns: StoredValidation["updated_patterns"];
}

/**
 * Validates a run's stored predictions against its actual patterns (§6), in the caller's transaction;
 * {@link validateStoredPredictionsOfRuns} for one run.
 */
export async function validateStoredPredictions(
  trx: Kysely<Database>,
  workflowId: string,
  actual: readonly string[],
  notes: string | null = null,
): Promise<StoredValidation> {
  const { runs, updated_patterns } = await validateStoredPredictionsOfRuns(
    trx,
    [{ workflow_id: workflowId, actual }],
    notes,
  );
  const [run] = runs;
  return { predicted: run?.predicted ?? [], newly_validated: run?.newly_validated ?? 0, updated_patterns };
}

/**
 * Validates runs' stored predictions against their actual patterns (§6), in the caller's transaction: sets
 * `was_correct` and `validated_at` on the predictions not validated yet, and moves the affected patterns'
 * validated and correct counts and `prediction_accuracy` (= correct / validated, exactly what a recount
 * gives), once per pattern for the whole batch. A prediction is marked only while it is still unvalidated,
 * so two writers validating one run count it once. Pattern rows are updated in id order, so concurrent
 * writers cannot deadlock. A run listed twice is validated once.
 */
export async function validateStoredPredictionsOfRuns(
  trx: Kysely<Database>,
  runs: readonly ActualPatterns[],
  notes: string | null = null,
): Promise<StoredValidations> {
  const stored = await storedPredictions(trx, [...new Set(runs.map((run) => run.workflow_id))]);
  const actualOf = new Map(runs.map((run) => [run.workflow_id, new Set(run.actual)]));
  const toValidate: { id: number; correct: boolean }[] = [];
  for (const row of stored) {
    if (row.validated_at !== null) continue;
    toValidate.push({
      id: row.id,
      correct: actualOf.get(row.workflow_id)?.has(row.pattern_signature) === true,
    });
  }
  const now = new Date().toISOString();
  const validated: { workflow_id: string; pattern_id: number; was_correct: number | null }[] = [];
  // Right and wrong predictions in one statement per chunk (a round trip each on PostgreSQL).
  for (let i = 0; i < toValidate.length; i += ID_CHUNK) {
    const chunk = toValidate.slice(i, i + ID_CHUNK);
    const correct = chunk.filter((prediction) => prediction.correct).map((prediction) => prediction.id);
    validated.push(
      ...(await trx
        .updateTable("pattern_predictions")
        .set({
          was_correct:
            correct.length === 0
              ? 0
              : sql<number>`case when ${sql.ref("id")} in (${sql.join(correct)}) then 1 else 0 end`,
          validated_at: now,
          validation_notes: notes,
        })
        .where(
          "id",
          "in",
          chunk.map((prediction) => prediction.id),
        )
        .where("validated_at", "is", null)
        .returning(["workflow_id", "pattern_id", "was_correct"])
        .execute()),
    );
  }
  const newlyValidated = new Map<string, number>();
  for (const row of validated)
    newlyValidated.set(row.workflow_id, (newlyValidated.get(row.workflow_id) ?? 0) + 1);
  const predictedOf = new Map<string, string[]>();
  for (const row of stored) {
    const list = predictedOf.get(row.workflow_id);
    if (list === undefined) predictedOf.set(row.workflow_id, [row.pattern_signature]);
    else list.push(row.pattern_signature);
  }
  const seen = new Set<string>();
  return {
    runs: runs.map((run) => {
      // A run listed twice is validated by its first entry.
      const first = !seen.has(run.workflow_id);
      seen.add(run.workflow_id);
      return {
        predicted: predictedOf.get(run.workflow_id) ?? [],
        newly_validated: first ? (newlyValidated.get(run.workflow_id) ?? 0) : 0,
      };
    }),
    updated_patterns: await moveAccuracies(trx, validated, now),
  };
}

/** The stored predictions of runs, by run then signature. */
async function storedPredictions(trx: Kysely<Database>, workflowIds: readonly string[]) {
  const rows = [];
  for (let i = 0; i < workflowIds.length; i += ID_CHUNK) {
    rows.push(
      ...(await trx
        .selectFrom("pattern_predictions")
        .select(["id", "workflow_id", "pattern_signature", "validated_at"])
        .where("workflow_id", "in", workflowIds.slice(i, i + ID_CHUNK))
        .orderBy("workflow_id")
        .orderBy("pattern_signature")
        .execute()),
    );
  }
  return rows;
}

/**
 * Adds the predictions just validated to their patterns' counts, in id order: one update per pattern, or
 * one update from arrays where the engine updates from arrays (PostgreSQL: see {@link MOVE_FROM_ARRAYS}).
 */
async function moveAccuracies(
  trx: Kysely<Database>,
  validated: readonly { pattern_id: number; was_correct: number | null }[],
  now: string,
): Promise<StoredValidation["updated_patterns"]> {
  const counts = new Map<number, { validated: number; correct: number }>();
  for (const { pattern_id, was_correct } of validated) {
    const count = counts.get(pattern_id) ?? { validated: 0, correct: 0 };
    count.validated += 1;
    count.correct += was_correct ?? 0;
    counts.set(pattern_id, count);
  }
  const sorted = [...counts].sort(([a], [b]) => a - b);
  if (sorted.length > 1 && engineFor(trx).updatesFromArrays) {
    const { rows } = await trx.executeQuery<{
      id: number;
      pattern_signature: string;
      prediction_accuracy: number;
    }>(
      CompiledQuery.raw(MOVE_FROM_ARRAYS, [
        sorted.map(([patternId]) => patternId),
        sorted.map(([, count]) => count.validated),
        sorted.map(([, count]) => count.correct),
        now,
      ]),
    );
    return rows
      .sort((a, b) => a.id - b.id)
      .map((row) => ({
        pattern_signature: row.pattern_signature,
        prediction_accuracy: row.prediction_accuracy,
      }));
  }
  const updated: StoredValidation["updated_patterns"] = [];
  for (const [patternId, count] of sorted) {
    const moved = await trx
      .updateTable("operation_patterns")
      .set((eb) => ({
        validated_count: eb("validated_count", "+", count.validated),
        correct_count: eb("correct_count", "+", count.correct),
        prediction_accuracy: sql<number>`cast(correct_count + ${count.correct} as double precision) / (validated_count + ${count.validated})`,
        updated_at: now,
      }))
      .where("id", "=", patternId)
      .returning(["pattern_signature", "prediction_accuracy"])
      .executeTakeFirstOrThrow();
    updated.push({
      pattern_signature: moved.pattern_signature,
      prediction_accuracy: moved.prediction_accuracy as number,
    });
  }
  return updated;
}

/**
 * The counts of several patterns moved by one statement from arrays (ids ascending). A single update locks
 * its rows in whatever order its plan meets them, which two writers need not share; the rows are locked
 * first, in id order, by the `for no key update` of `locked`, whose rows the update can only reach once
 * that select has returned (and so locked) them.
 */
const MOVE_FROM_ARRAYS = `with locked as (
    select id from operation_patterns where id = any($1::integer[]) order by id for no key update
  )
  update operation_patterns p set
    validated_count = p.validated_count + v.validated,
    correct_count = p.correct_count + v.correct,
    prediction_accuracy = cast(p.correct_count + v.correct as double precision) / (p.validated_count + v.validated),
    updated_at = $4
  from locked, unnest($1::integer[], $2::integer[], $3::integer[]) as v(id, validated, correct)
  where locked.id = p.id and v.id = p.id
  returning p.id, p.pattern_signature, p.prediction_accuracy`;

/** Ids per `in` list, well under the bound-parameter limits. */
const ID_CHUNK = 500;
