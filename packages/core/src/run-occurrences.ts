import { extractCharacteristics } from "./characteristics.js";
import {
  type Attribution,
  type CostAttributionOptions,
  chargePatterns,
  type PatternCost,
} from "./cost-attribution.js";
import type { DetectedPattern } from "./detection/detected-pattern.js";
import type { OccurrenceObservation } from "./pattern-statistics.js";
import { toUtcIso } from "./utc-time.js";
import type { WorkflowRecord } from "./workflow-record.js";

/** A run as a store holds it: a record, with the workflow time the store settled on when it has one. */
export type RunRecord = WorkflowRecord & { created_at?: string | null; workflow_time?: string | null };

/** One pattern of one run, ready to be recorded. */
export interface DetectedOccurrence {
  pattern: DetectedPattern;
  observation: OccurrenceObservation;
  attribution: Attribution | null;
}

/** The time a run happened at, in UTC: its start, else its end, else when it was recorded. */
export function workflowTimeOf(run: {
  start_time?: string | null;
  end_time?: string | null;
  created_at?: string | null;
}): string | null {
  return toUtcIso(run.start_time) ?? toUtcIso(run.end_time) ?? toUtcIso(run.created_at);
}

/**
 * Turns a run and its detected patterns into occurrences: the run's outcome and characteristics, and the
 * tokens and cost each pattern is charged (see {@link chargePatterns}).
 */
export function occurrencesOfRun(
  record: RunRecord,
  patterns: readonly DetectedPattern[],
  options: CostAttributionOptions = {},
): DetectedOccurrence[] {
  if (patterns.length === 0) return [];
  const charges = chargePatterns(record, patterns, options);
  const base = observeRun(record, null, null);
  return patterns.map((pattern, i) => {
    const charge = charges[i] as PatternCost;
    return {
      pattern,
      observation: { ...base, tokens: charge.tokens, cost: charge.cost },
      attribution: charge.attribution,
    };
  });
}

/** What one occurrence in this run tells about its pattern, given the tokens and cost attributed to it. */
export function observeRun(
  record: RunRecord,
  tokens: number | null,
  cost: number | null,
): OccurrenceObservation {
  const hadError =
    record.status === "failed" ||
    (typeof record.error_message === "string" && record.error_message.trim() !== "");
  return {
    tokens,
    cost,
    duration_seconds: typeof record.duration_seconds === "number" ? record.duration_seconds : null,
    succeeded: record.status === "completed" && !hadError,
    had_error: hadError,
    retry_count: typeof record.retry_count === "number" ? record.retry_count : null,
    workflow_time: record.workflow_time !== undefined ? record.workflow_time : workflowTimeOf(record),
    characteristics: extractCharacteristics(record),
  };
}
