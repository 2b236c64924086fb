import {
  accuracyByType,
  type DailyValidation,
  errorRates,
  type PatternloopDatabase,
  type ValidationSummary,
  validationCoverage,
  validationSummary,
  validationTrend,
} from "@patternloop/db";

/** How many days back the validation trend goes, as `analyze trend` by default. */
export const TREND_DAYS = 30;

/** What the validation view shows: `analyze accuracy`, `trend`, `coverage` and `by-type`. */
export interface ValidationData {
  summary: ValidationSummary;
  trend: DailyValidation[];
  coverage: Awaited<ReturnType<typeof validationCoverage>>;
  rates: Awaited<ReturnType<typeof errorRates>>;
  byType: Awaited<ReturnType<typeof accuracyByType>>;
}

export async function loadValidation({ db }: PatternloopDatabase, now = new Date()): Promise<ValidationData> {
  return {
    summary: await validationSummary(db),
    trend: await validationTrend(db, TREND_DAYS, now),
    coverage: await validationCoverage(db),
    rates: await errorRates(db),
    byType: await accuracyByType(db),
  };
}
