import type { SavingsModel } from "@patternloop/core";
import {
  type DailyOccurrences,
  type DailyPatternAccuracy,
  type PatternDetails,
  type PatternloopDatabase,
  type PatternRealizedSavings,
  patternAccuracyByDay,
  patternDetails,
  patternOccurrencesByDay,
  patternStatusHistory,
  realizedSavings,
  type StatusHistoryEntry,
} from "@patternloop/db";

/** What a pattern's page shows: `analyze details`, its days, its lifecycle and its realized savings. */
export interface PatternData {
  details: PatternDetails;
  occurrencesByDay: DailyOccurrences[];
  accuracyByDay: DailyPatternAccuracy[];
  lifecycle: StatusHistoryEntry[];
  /** Its row of `analyze realized`, when it is implemented or active. */
  realized: PatternRealizedSavings | undefined;
}

/** The page of the pattern with this id or signature; undefined when there is none. */
export async function loadPattern(
  { db }: PatternloopDatabase,
  idOrSignature: string,
  model: SavingsModel | undefined,
): Promise<PatternData | undefined> {
  const details = await patternDetails(db, idOrSignature, model);
  if (details === undefined) return undefined;
  const { id, pattern_signature, automation_status } = details.pattern;
  const implemented = automation_status === "implemented" || automation_status === "active";
  return {
    details,
    occurrencesByDay: await patternOccurrencesByDay(db, id),
    accuracyByDay: await patternAccuracyByDay(db, id),
    lifecycle: await patternStatusHistory(db, pattern_signature),
    realized: implemented
      ? (await realizedSavings(db)).find((row) => row.pattern_signature === pattern_signature)
      : undefined,
  };
}
