import { classificationMetrics, wilsonInterval } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

const ratio = (numerator: number, denominator: number) =>
  denominator === 0 ? null : numerator / denominator;

/** A run's predictions, most confident first. */
export function predictionsOfWorkflow(db: Kysely<Database>, workflowId: string) {
  return db
    .selectFrom("pattern_predictions")
    .select([
      "pattern_signature",
      "predicted_confidence",
      "prediction_reason",
      "predicted_at",
      "was_correct",
      "validated_at",
    ])
    .where("workflow_id", "=", workflowId)
    .orderBy("predicted_confidence", "desc")
    .orderBy("pattern_signature")
    .execute();
}

/** A pattern's validated predictions, most recent first. */
export function accuracyHistory(db: Kysely<Database>, signature: string, limit = 20) {
  return db
    .selectFrom("pattern_predictions")
    .select(["workflow_id", "predicted_confidence", "was_correct", "validated_at", "replayed"])
    .where("pattern_signature", "=", signature)
    .where("validated_at", "is not", null)
    .orderBy("validated_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export interface ReliableOptions {
  minAccuracy?: number;
  minOccurrences?: number;
  limit?: number;
}

/** Patterns whose predictions have proven right (accuracy ≥ min, seen ≥ min times), most accurate first. */
export function reliablePatterns(db: Kysely<Database>, options: ReliableOptions = {}) {
  return db
    .selectFrom("operation_patterns")
    .select([
      "id",
      "pattern_signature",
      "prediction_accuracy",
      "validated_count",
      "correct_count",
      "occurrence_count",
      "automation_status",
    ])
    .where("prediction_accuracy", ">=", options.minAccuracy ?? 0.7)
    .where("occurrence_count", ">=", options.minOccurrences ?? 5)
    .orderBy("prediction_accuracy", "desc")
    .orderBy("validated_count", "desc")
    .orderBy("pattern_signature")
    .limit(options.limit ?? 10)
    .execute();
}

export interface ValidationSummary {
  total_patterns: number;
  patterns_with_predictions: number;
  total_predictions: number;
  total_validations: number;
  overall_accuracy: number | null;
  patterns_above_70: number;
  patterns_above_90: number;
  /** The same figures for predictions made live at run start only... */
  live: PredictionTally;
  /** ...and for those backfill replayed over the history. */
  replayed: PredictionTally;
}

/** Predictions of one origin (live or replayed): how many, how many validated, the share correct. */
export interface PredictionTally {
  predictions: number;
  validations: number;
  accuracy: number | null;
}

/**
 * The seven figures of §6. Validations and correct ones are read from `validation_tallies` (kept where
 * predictions are validated); predictions made are those plus the ones not validated yet (runs still open),
 * which the accuracy index finds without reading the validated ones.
 */
export async function validationSummary(db: Kysely<Database>): Promise<ValidationSummary> {
  const { rows } = await sql<Record<SummaryColumn, number | null>>`
    select
      (select count(*) from operation_patterns) as total_patterns,
      (select count(*) from operation_patterns op
        where exists (select 1 from pattern_predictions pp where pp.pattern_id = op.id)) as patterns_with_predictions,
      (select coalesce(sum(validations), 0) from validation_tallies) as total_validations,
      (select coalesce(sum(correct), 0) from validation_tallies) as correct,
      (select count(*) from operation_patterns where prediction_accuracy > 0.7) as patterns_above_70,
      (select count(*) from operation_patterns where prediction_accuracy > 0.9) as patterns_above_90,
      (select coalesce(sum(validations), 0) from validation_tallies where replayed = 1) as replayed_validations,
      (select coalesce(sum(correct), 0) from validation_tallies where replayed = 1) as replayed_correct,
      (select count(*) from pattern_predictions
        where pattern_id in (select id from operation_patterns) and replayed in (0, 1) and validated_at is null) as unvalidated,
      (select count(*) from pattern_predictions
        where pattern_id in (select id from operation_patterns) and replayed = 1 and validated_at is null) as replayed_unvalidated`.execute(
    db,
  );
  const row = rows[0];
  const n = (key: SummaryColumn) => Number(row?.[key] ?? 0);
  const totalPredictions = n("total_validations") + n("unvalidated");
  const replayed = {
    predictions: n("replayed_validations") + n("replayed_unvalidated"),
    validations: n("replayed_validations"),
    accuracy: ratio(n("replayed_correct"), n("replayed_validations")),
  };
  const liveValidations = n("total_validations") - replayed.validations;
  return {
    total_patterns: n("total_patterns"),
    patterns_with_predictions: n("patterns_with_predictions"),
    total_predictions: totalPredictions,
    total_validations: n("total_validations"),
    overall_accuracy: ratio(n("correct"), n("total_validations")),
    patterns_above_70: n("patterns_above_70"),
    patterns_above_90: n("patterns_above_90"),
    live: {
      predictions: totalPredictions - replayed.predictions,
      validations: liveValidations,
      accuracy: ratio(n("correct") - n("replayed_correct"), liveValidations),
    },
    replayed,
  };
}

type SummaryColumn =
  | Exclude<keyof ValidationSummary, "live" | "replayed" | "total_predictions">
  | "correct"
  | "unvalidated"
  | "replayed_validations"
  | "replayed_correct"
  | "replayed_unvalidated";

export interface DailyValidation {
  day: string;
  validations: number;
  correct: number;
  accuracy: number | null;
}

/** Validations, correct ones and accuracy per day (UTC) over the last `days` days, oldest first. */
export async function validationTrend(
  db: Kysely<Database>,
  days = 30,
  now = new Date(),
): Promise<DailyValidation[]> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const { rows } = await sql<{ day: string; validations: number; correct: number }>`
    select day, sum(validations) as validations, sum(correct) as correct
    from validation_tallies
    where day >= ${since}
    group by day
    order by day`.execute(db);
  return rows.map((row) => ({
    day: row.day,
    validations: Number(row.validations),
    correct: Number(row.correct),
    accuracy: ratio(Number(row.correct), Number(row.validations)),
  }));
}

/** Accuracy of validated predictions per pattern type (category). */
export async function accuracyByType(db: Kysely<Database>) {
  const { rows } = await sql<{ pattern_type: string; validations: number; correct: number }>`
    select pattern_type, sum(validated_count) as validations, sum(correct_count) as correct
    from operation_patterns
    where validated_count > 0
    group by pattern_type
    order by pattern_type`.execute(db);
  return rows.map((row) => ({
    pattern_type: row.pattern_type,
    validations: Number(row.validations),
    correct: Number(row.correct),
    accuracy: ratio(Number(row.correct), Number(row.validations)),
  }));
}

/** Share of completed runs that had predictions. */
export async function validationCoverage(db: Kysely<Database>) {
  const { rows } = await sql<{ completed: number; predicted: number }>`
    select count(*) as completed,
      coalesce(sum(case when exists (select 1 from pattern_predictions pp where pp.workflow_id = wh.workflow_id) then 1 else 0 end), 0) as predicted
    from workflow_history wh where wh.status = 'completed'`.execute(db);
  const completed = Number(rows[0]?.completed ?? 0);
  const predicted = Number(rows[0]?.predicted ?? 0);
  return {
    completed_runs: completed,
    runs_with_predictions: predicted,
    coverage: ratio(predicted, completed),
  };
}

/**
 * Per-pattern figures over the runs whose predictions were validated: true positives (correct predictions),
 * false positives (wrong ones), false negatives (patterns those runs had that were not predicted, counted
 * when each run's predictions were first validated, the moment the others are judged at), with precision,
 * recall, F1, accuracy, support and a Wilson interval on precision. Read from the patterns' counts.
 */
export async function patternMetrics(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("operation_patterns")
    .select((eb) => [
      "pattern_signature",
      "correct_count as tp",
      eb("validated_count", "-", eb.ref("correct_count")).as("fp"),
      "missed_count as fn",
    ])
    .orderBy("pattern_signature")
    .execute();
  return rows
    .map((row) => {
      const tp = Number(row.tp);
      const fp = Number(row.fp);
      const fn = Number(row.fn);
      return {
        pattern_signature: row.pattern_signature,
        support: tp + fn,
        ...classificationMetrics({ truePositives: tp, falsePositives: fp, falseNegatives: fn }),
        precision_interval: wilsonInterval(tp, tp + fp),
      };
    })
    .filter((row) => row.predicted + row.support > 0);
}

/** False-positive rate (wrong predictions / predictions validated) and false-negative rate (missed / actual). */
export async function errorRates(db: Kysely<Database>) {
  const metrics = await patternMetrics(db);
  const tp = metrics.reduce((sum, m) => sum + m.correct, 0);
  const fp = metrics.reduce((sum, m) => sum + m.false_positives, 0);
  const fn = metrics.reduce((sum, m) => sum + m.false_negatives, 0);
  return {
    false_positive_rate: ratio(fp, tp + fp),
    false_negative_rate: ratio(fn, tp + fn),
    true_positives: tp,
    false_positives: fp,
    false_negatives: fn,
  };
}
