import type { Detector, ToolCall } from "@patternloop/core";
import type { CandidateThresholds } from "../lifecycle/promote-candidates.js";
import type { Predictor } from "../predictor/learned-predictor.js";
import type { RunValidation } from "../run-validation.js";

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

/** One reported end of a run. */
export interface CompletionRequest {
  workflowId: string;
  completion: RunCompletion;
}

/** What a recorded completion gives back (the body the API answers with). */
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

/**
 * What became of one completion. Only `failed` is a fault (the database failed, or a bug); a run nobody
 * started and a run that already ended the other way are answers like any other, with a one-line `message`.
 */
export type CompletionOutcome =
  | { outcome: "completed"; workflowId: string; result: CompletionResult }
  | { outcome: "unknown_run"; workflowId: string; message: string }
  | {
      outcome: "already_finished";
      workflowId: string;
      /** How the run ended before. */
      status: "completed" | "failed";
      message: string;
    }
  | { outcome: "failed"; workflowId: string; error: Error };

export interface CompleteRunsOptions {
  detector?: Detector;
  /** Learns from each finished run, so the next predictions know it. */
  predictor?: Predictor;
  /** When detected patterns become candidates; checked after each batch that validated something. */
  candidateThresholds?: CandidateThresholds;
  /** Where the validation log lines go, one line each; `console.log` by default. */
  log?: (line: string) => void;
  /**
   * Where the failures a completion outlives are told, one line each: a validation or a promotion that
   * failed (the run's end stays recorded). On stderr by default.
   */
  logError?: (line: string) => void;
}
