import { DEFAULT_SAVINGS_MODEL, type SavingsFigures, type SavingsModel } from "@patternloop/core";
import type { Kysely } from "kysely";
import { byMonthlySavings, withSavings } from "../patterns/pattern-savings.js";
import { STATISTIC_COLUMNS } from "../patterns/statistic-columns.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";

/** The stored columns an analysis shows for a pattern, named as in `operation_patterns`. */
export const PATTERN_COLUMNS = [
  "id",
  "pattern_signature",
  "pattern_type",
  "automation_status",
  ...STATISTIC_COLUMNS,
  "created_at",
] as const;

/** A pattern as an analysis shows it: its stored statistics and the savings derived from them. */
export type PatternRow = Pick<OperationPattern, (typeof PATTERN_COLUMNS)[number]> & SavingsFigures;

export interface PatternsSummary {
  total_patterns: number;
  total_occurrences: number;
  potential_monthly_savings: number;
  patterns_by_status: Record<string, number>;
}

/** Totals over all patterns: count, occurrences, monthly savings and patterns per status. */
export async function summarizePatterns(
  db: Kysely<Database>,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternsSummary> {
  const rows = await withSavings(
    db,
    await db
      .selectFrom("operation_patterns")
      .select(["automation_status", "occurrence_count", "avg_tokens_with_llm", "avg_cost_with_llm"])
      .orderBy("automation_status")
      .orderBy("id")
      .execute(),
    model,
  );
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.automation_status] = (byStatus[row.automation_status] ?? 0) + 1;
  return {
    total_patterns: rows.length,
    total_occurrences: rows.reduce((sum, row) => sum + row.occurrence_count, 0),
    potential_monthly_savings: rows.reduce((sum, row) => sum + row.potential_monthly_savings, 0),
    patterns_by_status: byStatus,
  };
}

/** Patterns by occurrences, most first. */
export async function topPatterns(
  db: Kysely<Database>,
  limit: number,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternRow[]> {
  return withSavings(
    db,
    await patterns(db)
      .orderBy("occurrence_count", "desc")
      .orderBy("pattern_signature")
      .limit(limit)
      .execute(),
    model,
  );
}

/**
 * Patterns by potential monthly savings, most first, with the saving of one use. The savings are derived,
 * so every pattern is read and ranked here: there are as many rows as distinct operations, not as runs.
 */
export async function highValuePatterns(
  db: Kysely<Database>,
  limit: number,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<(PatternRow & { savings_per_use: number })[]> {
  const rows = await withSavings(db, await patterns(db).execute(), model);
  return rows
    .sort(byMonthlySavings)
    .slice(0, limit)
    .map((row) => ({ ...row, savings_per_use: row.avg_cost_with_llm - row.avg_cost_with_tool }));
}

/** Patterns by when they were first seen (workflow time), newest first. */
export async function recentPatterns(
  db: Kysely<Database>,
  limit: number,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternRow[]> {
  return withSavings(
    db,
    await patterns(db).orderBy("first_seen", "desc").orderBy("pattern_signature").limit(limit).execute(),
    model,
  );
}

function patterns(db: Kysely<Database>) {
  return db.selectFrom("operation_patterns").select(PATTERN_COLUMNS).where("occurrence_count", ">", 0);
}
