import type { SavingsModel } from "@patternloop/core";
import {
  type DailyRuns,
  dailyRuns,
  type HistoryTotals,
  historyTotals,
  type PatternloopDatabase,
  type PatternRealizedSavings,
  type PatternsSummary,
  type PredictionTally,
  realizedSavings,
  type SavingsAssumptions,
  savingsAssumptions,
  summarizePatterns,
  validationSummary,
} from "@patternloop/db";

/** What the overview shows, each figure from the db function the CLI's `analyze` reads it from. */
export interface OverviewData {
  totals: HistoryTotals;
  /** `analyze summary`: patterns, occurrences, potential monthly savings, patterns by status. */
  summary: PatternsSummary;
  /** What the savings figures assume (`analyze summary --json`'s `savings_model`). */
  assumptions: SavingsAssumptions;
  /** `analyze realized`. */
  realized: PatternRealizedSavings[];
  daily: DailyRuns[];
  predictions: { live: PredictionTally; replayed: PredictionTally };
}

export async function loadOverview(
  { db }: PatternloopDatabase,
  model: SavingsModel | undefined,
): Promise<OverviewData> {
  const { live, replayed } = await validationSummary(db);
  return {
    totals: await historyTotals(db),
    summary: await summarizePatterns(db, model),
    assumptions: await savingsAssumptions(db, model),
    realized: await realizedSavings(db),
    daily: await dailyRuns(db),
    predictions: { live, replayed },
  };
}
