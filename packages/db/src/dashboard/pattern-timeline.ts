import { type Kysely, sql } from "kysely";
import type { Database } from "../schema/database.js";

/** One pattern's occurrences and the cost attributed to them on one day (UTC, by workflow time). */
export interface DailyOccurrences {
  day: string;
  occurrences: number;
  cost: number;
}

/** One pattern's validated predictions on one day (UTC, by validation time), live and replayed apart. */
export interface DailyPatternAccuracy {
  day: string;
  validations: number;
  correct: number;
  accuracy: number | null;
  live_validations: number;
  live_correct: number;
}

/** A pattern's occurrences and attributed cost per day, oldest first. */
export async function patternOccurrencesByDay(
  db: Kysely<Database>,
  patternId: number,
): Promise<DailyOccurrences[]> {
  const { rows } = await sql<{ day: string; occurrences: number; cost: number | null }>`
    select substr(workflow_time, 1, 10) as day, count(*) as occurrences,
      coalesce(sum(cost_attributed), 0) as cost
    from pattern_occurrences
    where pattern_id = ${patternId} and workflow_time is not null
    group by substr(workflow_time, 1, 10)
    order by day`.execute(db);
  return rows.map((row) => ({
    day: row.day,
    occurrences: Number(row.occurrences),
    cost: Number(row.cost ?? 0),
  }));
}

/** A pattern's validated predictions and the share correct per day, oldest first. */
export async function patternAccuracyByDay(
  db: Kysely<Database>,
  patternId: number,
): Promise<DailyPatternAccuracy[]> {
  const { rows } = await sql<{
    day: string;
    validations: number;
    correct: number | null;
    live_validations: number | null;
    live_correct: number | null;
  }>`
    select substr(validated_at, 1, 10) as day, count(*) as validations,
      coalesce(sum(was_correct), 0) as correct,
      coalesce(sum(case when replayed = 0 then 1 else 0 end), 0) as live_validations,
      coalesce(sum(case when replayed = 0 then was_correct else 0 end), 0) as live_correct
    from pattern_predictions
    where pattern_id = ${patternId} and validated_at is not null
    group by substr(validated_at, 1, 10)
    order by day`.execute(db);
  return rows.map((row) => {
    const validations = Number(row.validations);
    const correct = Number(row.correct ?? 0);
    return {
      day: row.day,
      validations,
      correct,
      accuracy: validations === 0 ? null : correct / validations,
      live_validations: Number(row.live_validations ?? 0),
      live_correct: Number(row.live_correct ?? 0),
    };
  });
}
