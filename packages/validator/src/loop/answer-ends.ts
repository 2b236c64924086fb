import { escapeLogText } from "@patternloop/core";
import type { PatternloopDatabase } from "@patternloop/db";
import { type CandidateThresholds, promoteCandidates } from "../lifecycle/promote-candidates.js";
import { compareRun, formatValidationLog } from "../run-validation.js";
import type { CompletionOutcome, CompletionRequest, CompletionResult } from "./completion-types.js";
import type { RecordedEnd, RefusedEnd } from "./record-ends.js";
import type { Validations } from "./validate-ends.js";

/** Where an answered batch's lines go. */
export interface CompletionLogs {
  log: (line: string) => void;
  logError: (line: string) => void;
}

/**
 * Answers each request from its recorded end and validation, logs each newly validated run, then promotes
 * candidates and logs the patterns whose accuracy moved. A completed run without a validation (its
 * validation failed) is answered `validation_error`, its recorded end standing.
 */
export async function answerEnds(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  ends: readonly (RefusedEnd | RecordedEnd | undefined)[],
  validations: Validations,
  candidateThresholds: CandidateThresholds | undefined,
  logs: CompletionLogs,
): Promise<CompletionOutcome[]> {
  const outcomes = requests.map((request, i): CompletionOutcome => {
    const { workflowId, completion } = request;
    const end = ends[i];
    if (end === undefined)
      return { outcome: "failed", workflowId, error: new Error("completion not recorded") };
    if (end.outcome !== "recorded") return end;
    const result: CompletionResult = {
      workflow_id: workflowId,
      status: completion.status,
      recorded: end.recorded,
      actual: end.actual,
      validation: null,
    };
    const answer = (answered: CompletionResult): CompletionOutcome => ({
      outcome: "completed",
      workflowId,
      result: answered,
    });
    if (completion.status === "failed") return answer({ ...result, validation_skipped: "failed_run" });
    const validated = validations.runs.get(workflowId);
    if (validated === undefined) return answer({ ...result, validation_skipped: "validation_error" });
    if (validated.predicted.length === 0) return answer({ ...result, validation_skipped: "no_predictions" });
    const validation = compareRun(workflowId, validated.predicted, end.actual);
    if (validated.newly_validated > 0) logs.log(formatValidationLog(validation));
    return answer({ ...result, validation });
  });
  if (validations.newlyValidated > 0) {
    await promote(database, candidateThresholds, logs);
    for (const pattern of validations.updatedPatterns)
      logs.log(
        `[validator] pattern ${escapeLogText(pattern.pattern_signature)}: prediction accuracy ${(pattern.prediction_accuracy * 100).toFixed(2)}%`,
      );
  }
  return outcomes;
}

/** Promotes the patterns that now qualify; a failure is logged and never fails the completions. */
async function promote(
  database: PatternloopDatabase,
  candidateThresholds: CandidateThresholds | undefined,
  logs: CompletionLogs,
): Promise<void> {
  try {
    for (const promoted of await promoteCandidates(database, candidateThresholds))
      logs.log(
        `[validator] pattern ${escapeLogText(promoted.pattern_signature)}: ${promoted.from} → ${promoted.to}`,
      );
  } catch (error) {
    logs.logError(
      `[validator] promoting candidates failed: ${escapeLogText(error instanceof Error ? error.message : String(error))}`,
    );
  }
}
