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

/** A pattern's validated predictions and the share correct per day, oldest first (from `validation_tallies`). */
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
    select day, sum(validations) as validations, sum(correct) as correct,
      sum(case when replayed = 0 then validations else 0 end) as live_validations,
      sum(case when replayed = 0 then correct else 0 end) as live_correct
    from validation_tallies
    where pattern_id = ${patternId}
    group by day
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
