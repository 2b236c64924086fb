import {
  type ClaudeCodeTranscript,
  type IdentifiedWorkflowRecord,
  parseWorkflowRecord,
} from "@patternloop/core";
import { promptIdOf } from "./original-runs.js";

/** The runs of one session to store, and why the others are not stored. */
export interface SessionRuns {
  kept: IdentifiedWorkflowRecord[];
  /** Copies of runs of the session this one resumed: stored once, under the original. */
  copied: number;
  /** Runs that started before `since`: held back, and the session's files read again next time. */
  beforeSince: number;
  /** Runs the record schema refused, with why. */
  invalid: { workflow_id: string; problem: string }[];
  /** Models of the kept runs without a list price. */
  unpriced: string[];
}

/**
 * Sorts a session's runs into those to store and those not to: a copy of a prompt another session made first
 * (`originals`: prompt id → its first run) is not stored again; a run that started before `since` (ISO UTC)
 * is held back; a run the record schema refuses is reported.
 */
export function selectSessionRuns(
  transcript: ClaudeCodeTranscript,
  originals: ReadonlyMap<string, string>,
  since: string | null,
): SessionRuns {
  const selected: SessionRuns = { kept: [], copied: 0, beforeSince: 0, invalid: [], unpriced: [] };
  const unpriced = new Set<string>();
  for (const run of transcript.runs) {
    const record = run.record;
    const original = originals.get(promptIdOf(record.workflow_id));
    if (original !== undefined && original !== record.workflow_id) {
      selected.copied++;
      continue;
    }
    if (
      since !== null &&
      record.start_time !== null &&
      record.start_time !== undefined &&
      record.start_time < since
    ) {
      selected.beforeSince++;
      continue;
    }
    const valid = parseWorkflowRecord(record);
    if (!valid.success) {
      const problem = valid.issues.map((issue) => `${issue.path || "record"}: ${issue.message}`).join("; ");
      selected.invalid.push({ workflow_id: record.workflow_id, problem });
      continue;
    }
    selected.kept.push(valid.record);
    for (const model of run.unpriced_models) unpriced.add(model);
  }
  selected.unpriced = [...unpriced];
  return selected;
}
