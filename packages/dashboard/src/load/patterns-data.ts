import type { SavingsModel } from "@patternloop/core";
import {
  filterPatterns,
  type ListedPattern,
  type PatternloopDatabase,
  patternFilterChoices,
  type SavingsAssumptions,
  type ScriptabilityColumns,
  savingsAssumptions,
  withScriptability,
} from "@patternloop/db";
import type { PatternQuery, SortKey } from "./pattern-query.js";

/** A pattern of the list with its scriptability and the monthly savings a script of it could reach. */
export type PatternListRow = ListedPattern &
  ScriptabilityColumns & {
    /** `potential_monthly_savings × scriptability`, as `analyze high-value` ranks by. */
    scriptable_monthly_savings: number;
  };

export interface PatternsData {
  query: PatternQuery;
  rows: PatternListRow[];
  choices: { categories: string[]; statuses: string[]; projects: string[] };
  assumptions: SavingsAssumptions;
}

export async function loadPatterns(
  { db }: PatternloopDatabase,
  query: PatternQuery,
  model: SavingsModel | undefined,
): Promise<PatternsData> {
  const listed = await filterPatterns(
    db,
    {
      ...(query.category === "" ? {} : { category: query.category }),
      ...(query.status === "" ? {} : { status: query.status }),
      ...(query.project === "" ? {} : { project: query.project }),
    },
    model,
  );
  const rows = (await withScriptability(db, listed)).map((row) => ({
    ...row,
    scriptable_monthly_savings: row.potential_monthly_savings * row.scriptability,
  }));
  return {
    query,
    rows: sortPatterns(rows, query.sort, query.dir),
    choices: await patternFilterChoices(db),
    assumptions: await savingsAssumptions(db, model),
  };
}

/** The figure each sort key reads; null sorts last whichever the direction. */
export const SORT_VALUE: Record<SortKey, (row: PatternListRow) => number | string | null> = {
  savings: (row) => row.potential_monthly_savings,
  scriptable_savings: (row) => row.scriptable_monthly_savings,
  occurrences: (row) => row.occurrence_count,
  cost_per_use: (row) => row.avg_cost_with_llm,
  scriptability: (row) => row.scriptability,
  confidence: (row) => row.confidence_score,
  live_accuracy: (row) => row.live.accuracy,
  replayed_accuracy: (row) => row.replayed.accuracy,
  last_seen: (row) => row.last_seen,
};

export function sortPatterns(
  rows: readonly PatternListRow[],
  key: SortKey,
  dir: "asc" | "desc",
): PatternListRow[] {
  const value = SORT_VALUE[key];
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? bySignature(a, b) : x === null ? 1 : -1;
    return (x < y ? -sign : x > y ? sign : 0) || bySignature(a, b);
  });
}

const bySignature = (a: PatternListRow, b: PatternListRow) =>
  a.pattern_signature < b.pattern_signature ? -1 : a.pattern_signature > b.pattern_signature ? 1 : 0;
