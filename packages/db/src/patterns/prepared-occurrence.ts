import type { Attribution, DetectedOccurrence, OccurrenceObservation } from "@patternloop/core";

/**
 * An occurrence in the shape it is stored in: its pattern named by signature, its evidence already JSON
 * text.
 */
export interface PreparedOccurrence {
  signature: string;
  /** `JSON.stringify` of the evidence. */
  evidence: string | null;
  attribution: Attribution | null;
  observation: OccurrenceObservation;
}

/** One run's occurrences, prepared. */
export interface PreparedRun {
  workflow_id: string;
  occurrences: readonly PreparedOccurrence[];
}

/** The stored shape of one run's occurrences (see {@link PreparedOccurrence}). */
export function prepareRun(workflowId: string, occurrences: readonly DetectedOccurrence[]): PreparedRun {
  return {
    workflow_id: workflowId,
    occurrences: occurrences.map((occurrence) => ({
      signature: occurrence.pattern.signature,
      evidence: JSON.stringify(occurrence.pattern.evidence) ?? null,
      attribution: occurrence.attribution,
      observation: occurrence.observation,
    })),
  };
}
