import type { Detector, StatisticsConfig, ToolCall } from "@patternloop/core";
import type { PatternloopDatabase } from "@patternloop/db";
import type { CandidateThresholds } from "../lifecycle/promote-candidates.js";
import type { Predictor } from "../predictor/learned-predictor.js";
import type { RunValidation } from "../run-validation.js";
import { completeRuns } from "./complete-runs.js";

/** A run's end, as reported: its status and final figures. */
export interface RunCompletion {
  status: "completed" | "failed";
  end_time?: string | null;
  duration_seconds?: number | null;
  error_message?: string | null;
  retry_count?: number | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_tokens?: number | null;
  cache_creation_tokens?: number | null;
  total_tokens?: number | null;
  actual_cost_total?: number | null;
  model_used?: string | null;
  tool_calls?: readonly ToolCall[];
}

export interface CompletionResult {
  workflow_id: string;
  status: "completed" | "failed";
  /** False when this completion had been recorded before (a repeated delivery). */
  recorded: boolean;
  /** The patterns the run actually had. */
  actual: string[];
  /** The validation of its predictions; null for a failed run or a run without predictions. */
  validation: RunValidation | null;
  /** Why there is no validation, when there is none. */
  validation_skipped?: "failed_run" | "no_predictions" | "validation_error";
}

export interface CompleteRunOptions {
  detector?: Detector;
  statistics?: StatisticsConfig;
  /** Learns from the finished run, so the next predictions know it. */
  predictor?: Predictor;
  /** When detected patterns become candidates; checked after each validation. */
  candidateThresholds?: CandidateThresholds;
  /** Where the §6 log lines go; `console.log` by default. */
  log?: (line: string) => void;
}

/**
 * Records a run's end (§6): stores its final figures and tool calls, detects its actual patterns and records
 * their occurrences, then, for a completed run, validates its stored predictions, all in one transaction; the
 * validation runs under a savepoint, so a validation error is logged and never undoes or fails the status
 * update. Reporting the
 * same completion again changes nothing and returns the same result. A failed run records its occurrences
 * and validates nothing. {@link completeRuns} records several ends at once.
 *
 * @throws PatternloopValidatorError `unknown_run` or `already_finished` (with the other status).
 */
export async function completeRun(
  database: PatternloopDatabase,
  workflowId: string,
  completion: RunCompletion,
  options: CompleteRunOptions = {},
): Promise<CompletionResult> {
  const [outcome] = await completeRuns(database, [{ workflowId, completion }], options);
  if (outcome === undefined) throw new Error("completeRuns returned no outcome");
  if ("error" in outcome) throw outcome.error;
  return outcome.result;
}
