import { CompiledQuery, type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { inChunks } from "../in-chunks.js";
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
 * validated, correct and missed counts and `prediction_accuracy` (= correct / validated, exactly what a
 * recount gives), once per pattern for the whole batch, and the day's `validation_tallies`. A run's actual
 * patterns that were not predicted count as missed when its predictions are first validated. A prediction
 * is marked only while it is still unvalidated, so two writers validating one run count it once. Pattern
 * rows are updated in id order, and the tallies only after them, so concurrent writers cannot deadlock. A
 * run listed twice is validated once.
 */
export async function validateStoredPredictionsOfRuns(
  trx: Kysely<Database>,
  runs: readonly ActualPatterns[],
  notes: string | null = null,
): Promise<StoredValidations> {
  const stored = await storedPredictions(trx, [...new Set(runs.map((run) => run.workflow_id))]);
  const actualOf = new Map(runs.map((run) => [run.workflow_id, new Set(run.actual)]));
  const toValidate: { id: number; correct: boolean }[] = [];
  const validatedBefore = new Set<string>();
  for (const row of stored) {
    if (row.validated_at !== null) {
      validatedBefore.add(row.workflow_id);
      continue;
    }
    toValidate.push({
      id: row.id,
      correct: actualOf.get(row.workflow_id)?.has(row.pattern_signature) === true,
    });
  }
  const now = new Date().toISOString();
  const validated: ValidatedPrediction[] = [];
  // Right and wrong predictions in one statement per chunk (a round trip each on PostgreSQL).
  for (const chunk of inChunks(toValidate)) {
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
        .returning(["workflow_id", "pattern_id", "pattern_signature", "replayed", "was_correct"])
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
  const missed: string[] = [];
  const results = runs.map((run) => {
    // A run listed twice is validated by its first entry.
    const first = !seen.has(run.workflow_id);
    seen.add(run.workflow_id);
    const predicted = predictedOf.get(run.workflow_id) ?? [];
    const newly = first ? (newlyValidated.get(run.workflow_id) ?? 0) : 0;
    if (newly > 0 && !validatedBefore.has(run.workflow_id)) {
      const predictedSet = new Set(predicted);
      for (const signature of new Set(run.actual)) if (!predictedSet.has(signature)) missed.push(signature);
    }
    return { predicted, newly_validated: newly };
  });
  return { runs: results, updated_patterns: await countValidations(trx, validated, missed, now) };
}

/**
 * Counts predictions just validated, and patterns a validated run showed but nobody predicted, into their
 * patterns' counts and accuracy and into the day's tallies: what every way of validating ends with.
 * Returns the patterns whose accuracy moved.
 */
export async function countValidations(
  trx: Kysely<Database>,
  validated: readonly ValidatedPrediction[],
  missed: readonly string[],
  now: string,
): Promise<StoredValidation["updated_patterns"]> {
  const updated = await moveCounts(trx, validated, missed, now);
  await addValidationTallies(trx, validated, now);
  return updated;
}

/** A prediction as validating it returns it. */
export interface ValidatedPrediction {
  workflow_id: string;
  pattern_id: number;
  pattern_signature: string;
  replayed: number;
  was_correct: number | null;
}

/** The stored predictions of runs, by run then signature. */
async function storedPredictions(trx: Kysely<Database>, workflowIds: readonly string[]) {
  const rows = [];
  for (const chunk of inChunks(workflowIds)) {
    rows.push(
      ...(await trx
        .selectFrom("pattern_predictions")
        .select(["id", "workflow_id", "pattern_signature", "validated_at"])
        .where("workflow_id", "in", chunk)
        .orderBy("workflow_id")
        .orderBy("pattern_signature")
        .execute()),
    );
  }
  return rows;
}

/** How much one pattern's counts move. */
interface CountMove {
  validated: number;
  correct: number;
  missed: number;
}

/**
 * Adds the predictions just validated, and the patterns missed, to their patterns' counts, by signature in
 * id order: one update per pattern, or one update from arrays where the engine updates from arrays
 * (PostgreSQL: see {@link MOVE_FROM_ARRAYS}). Returns the patterns whose accuracy moved.
 */
async function moveCounts(
  trx: Kysely<Database>,
  validated: readonly ValidatedPrediction[],
  missed: readonly string[],
  now: string,
): Promise<StoredValidation["updated_patterns"]> {
  const moves = new Map<string, CountMove>();
  const moveOf = (signature: string) => {
    let move = moves.get(signature);
    if (move === undefined) {
      move = { validated: 0, correct: 0, missed: 0 };
      moves.set(signature, move);
    }
    return move;
  };
  for (const { pattern_signature, was_correct } of validated) {
    const move = moveOf(pattern_signature);
    move.validated += 1;
    move.correct += was_correct ?? 0;
  }
  for (const signature of missed) moveOf(signature).missed += 1;
  if (moves.size === 0) return [];
  const sorted = [...moves].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const moved: { id: number; pattern_signature: string; prediction_accuracy: number | null }[] = [];
  if (sorted.length > 1 && engineFor(trx).updatesFromArrays) {
    const { rows } = await trx.executeQuery<(typeof moved)[number]>(
      CompiledQuery.raw(MOVE_FROM_ARRAYS, [
        sorted.map(([signature]) => signature),
        sorted.map(([, move]) => move.validated),
        sorted.map(([, move]) => move.correct),
        sorted.map(([, move]) => move.missed),
        now,
      ]),
    );
    moved.push(...rows);
  } else {
    for (const [signature, move] of sorted) {
      const row = await trx
        .updateTable("operation_patterns")
        .set((eb) => ({
          validated_count: eb("validated_count", "+", move.validated),
          correct_count: eb("correct_count", "+", move.correct),
          missed_count: eb("missed_count", "+", move.missed),
          prediction_accuracy:
            move.validated === 0
              ? sql<number | null>`prediction_accuracy`
              : sql<number>`cast(correct_count + ${move.correct} as double precision) / (validated_count + ${move.validated})`,
          updated_at: now,
        }))
        .where("pattern_signature", "=", signature)
        .returning(["id", "pattern_signature", "prediction_accuracy"])
        .executeTakeFirst();
      if (row !== undefined) moved.push(row);
    }
  }
  return moved
    .filter((row) => (moves.get(row.pattern_signature)?.validated ?? 0) > 0)
    .sort((a, b) => a.id - b.id)
    .map((row) => ({
      pattern_signature: row.pattern_signature,
      prediction_accuracy: row.prediction_accuracy as number,
    }));
}

/**
 * The counts of several patterns moved by one statement from arrays (signatures). A single update locks its
 * rows in whatever order its plan meets them, which two writers need not share; the rows are locked first,
 * in id order, by the `for no key update` of `locked`, whose rows the update can only reach once that
 * select has returned (and so locked) them. A pattern only missed keeps its accuracy.
 */
const MOVE_FROM_ARRAYS = `with locked as (
    select id from operation_patterns where pattern_signature = any($1::text[]) order by id for no key update
  )
  update operation_patterns p set
    validated_count = p.validated_count + v.validated,
    correct_count = p.correct_count + v.correct,
    missed_count = p.missed_count + v.missed,
    prediction_accuracy = case when v.validated = 0 then p.prediction_accuracy
      else cast(p.correct_count + v.correct as double precision) / (p.validated_count + v.validated) end,
    updated_at = $5
  from locked, unnest($1::text[], $2::integer[], $3::integer[], $4::integer[]) as v(signature, validated, correct, missed)
  where locked.id = p.id and v.signature = p.pattern_signature
  returning p.id, p.pattern_signature, p.prediction_accuracy`;

/**
 * Adds the predictions just validated to the day's tallies per pattern and origin, in pattern order, after
 * the pattern rows: only a writer holding a pattern's row reaches its tallies, so they add no lock wait.
 */
async function addValidationTallies(
  trx: Kysely<Database>,
  validated: readonly ValidatedPrediction[],
  now: string,
): Promise<void> {
  const day = now.slice(0, 10);
  const tallies = new Map<
    string,
    { pattern_id: number; replayed: number; validations: number; correct: number }
  >();
  for (const { pattern_id, replayed, was_correct } of validated) {
    const key = `${pattern_id}:${replayed}`;
    const tally = tallies.get(key) ?? { pattern_id, replayed, validations: 0, correct: 0 };
    tally.validations += 1;
    tally.correct += was_correct ?? 0;
    tallies.set(key, tally);
  }
  const rows = [...tallies.values()]
    .sort((a, b) => a.pattern_id - b.pattern_id || a.replayed - b.replayed)
    .map((tally) => ({ ...tally, day }));
  for (const chunk of inChunks(rows, TALLY_CHUNK)) {
    await trx
      .insertInto("validation_tallies")
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(["pattern_id", "replayed", "day"]).doUpdateSet((eb) => ({
          validations: sql<number>`${eb.ref("validation_tallies.validations")} + ${eb.ref("excluded.validations")}`,
          correct: sql<number>`${eb.ref("validation_tallies.correct")} + ${eb.ref("excluded.correct")}`,
        })),
      )
      .execute();
  }
}

/** Tally rows per insert (5 values a row). */
const TALLY_CHUNK = 200;
