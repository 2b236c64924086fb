import type { Kysely } from "kysely";
import { STATISTIC_COLUMNS } from "../patterns/statistic-columns.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";

/** The columns an analysis shows for a pattern, named as in `operation_patterns`. */
export const PATTERN_COLUMNS = [
  "id",
  "pattern_signature",
  "pattern_type",
  "automation_status",
  ...STATISTIC_COLUMNS,
  "created_at",
] as const;

export type PatternRow = Pick<OperationPattern, (typeof PATTERN_COLUMNS)[number]>;

export interface PatternsSummary {
  total_patterns: number;
  total_occurrences: number;
  potential_monthly_savings: number;
  patterns_by_status: Record<string, number>;
}

/** Totals over all patterns: count, occurrences, monthly savings and patterns per status. */
export async function summarizePatterns(db: Kysely<Database>): Promise<PatternsSummary> {
  const rows = await db
    .selectFrom("operation_patterns")
    .select((eb) => [
      "automation_status",
      eb.fn.countAll<number>().as("patterns"),
      eb.fn.sum<number>("occurrence_count").as("occurrences"),
      eb.fn.sum<number>("potential_monthly_savings").as("savings"),
    ])
    .groupBy("automation_status")
    .orderBy("automation_status")
    .execute();
  return {
    total_patterns: rows.reduce((sum, row) => sum + Number(row.patterns), 0),
    total_occurrences: rows.reduce((sum, row) => sum + Number(row.occurrences ?? 0), 0),
    potential_monthly_savings: rows.reduce((sum, row) => sum + Number(row.savings ?? 0), 0),
    patterns_by_status: Object.fromEntries(rows.map((row) => [row.automation_status, Number(row.patterns)])),
  };
}

/** Patterns by occurrences, most first. */
export function topPatterns(db: Kysely<Database>, limit: number): Promise<PatternRow[]> {
  return patterns(db).orderBy("occurrence_count", "desc").orderBy("pattern_signature").limit(limit).execute();
}

/** Patterns by potential monthly savings, most first, with the saving of one use. */
export async function highValuePatterns(
  db: Kysely<Database>,
  limit: number,
): Promise<(PatternRow & { savings_per_use: number })[]> {
  const rows = await patterns(db)
    .orderBy("potential_monthly_savings", "desc")
    .orderBy("pattern_signature")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, savings_per_use: row.avg_cost_with_llm - row.avg_cost_with_tool }));
}

/** Patterns by when they were first seen (workflow time), newest first. */
export function recentPatterns(db: Kysely<Database>, limit: number): Promise<PatternRow[]> {
  return patterns(db).orderBy("first_seen", "desc").orderBy("pattern_signature").limit(limit).execute();
}

function patterns(db: Kysely<Database>) {
  return db.selectFrom("operation_patterns").select(PATTERN_COLUMNS).where("occurrence_count", ">", 0);
}
