import {
  createDetector,
  type Detector,
  occurrencesOfRun,
  type StatisticsConfig,
  type ToolCall,
  toUtcIso,
} from "@patternloop/core";
import {
  insertToolCalls,
  loadRuns,
  type PatternloopDatabase,
  recordOccurrences,
  validateStoredPredictions,
} from "@patternloop/db";
import { type CandidateThresholds, promoteCandidates } from "../lifecycle/promote-candidates.js";
import type { Predictor } from "../predictor/learned-predictor.js";
import { compareRun, formatValidationLog, type RunValidation } from "../run-validation.js";
import { PatternloopValidatorError } from "../validator-error.js";

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

const defaultDetector = createDetector();

/**
 * Records a run's end (§6): stores its final figures and tool calls, detects its actual patterns and records
 * their occurrences (one transaction), then, for a completed run, validates its stored predictions (a second
 * transaction, so a validation error is logged and never undoes or fails the status update). Reporting the
 * same completion again changes nothing and returns the same result. A failed run records its occurrences
 * and validates nothing.
 */
export async function completeRun(
  database: PatternloopDatabase,
  workflowId: string,
  completion: RunCompletion,
  options: CompleteRunOptions = {},
): Promise<CompletionResult> {
  const detect = options.detector ?? defaultDetector;
  const log = options.log ?? console.log;
  const { db } = database;
  const outcome = await db.transaction().execute(async (trx) => {
    // Updating first takes PostgreSQL's row lock: two replicas receiving one completion at once finish one
    // after the other, and the second sees the run already ended (SQLite writers are serialised anyway).
    const run = await trx
      .updateTable("workflow_history")
      .set((eb) => ({ status: eb.ref("status") }))
      .where("workflow_id", "=", workflowId)
      .returning("status")
      .executeTakeFirst();
    if (run === undefined)
      throw new PatternloopValidatorError(
        "unknown_run",
        `no run ${JSON.stringify(workflowId)}: register it with a run start first`,
      );
    const finished = run.status === "completed" || run.status === "failed";
    if (finished && run.status !== completion.status) {
      throw new PatternloopValidatorError(
        "already_finished",
        `run ${JSON.stringify(workflowId)} already ended as ${run.status}`,
      );
    }
    if (!finished) {
      const now = new Date().toISOString();
      await trx
        .updateTable("workflow_history")
        .set({
          status: completion.status,
          end_time: toUtcIso(completion.end_time) ?? now,
          duration_seconds: completion.duration_seconds ?? null,
          error_message: completion.error_message ?? null,
          retry_count: completion.retry_count ?? 0,
          input_tokens: completion.input_tokens ?? null,
          output_tokens: completion.output_tokens ?? null,
          cache_read_tokens: completion.cache_read_tokens ?? null,
          cache_creation_tokens: completion.cache_creation_tokens ?? null,
          total_tokens: completion.total_tokens ?? null,
          actual_cost_total: completion.actual_cost_total ?? null,
          model_used: completion.model_used ?? null,
          updated_at: now,
          patterns_processed_at: now,
        })
        .where("workflow_id", "=", workflowId)
        .execute();
      await insertToolCalls(trx, workflowId, completion.tool_calls ?? []);
    }
    const [stored] = await loadRuns(trx, [workflowId]);
    const actual = stored === undefined ? [] : detect(stored);
    if (!finished && stored !== undefined) {
      await recordOccurrences(
        trx,
        [{ workflow_id: workflowId, occurrences: occurrencesOfRun(stored, actual) }],
        options.statistics,
      );
    }
    return { recorded: !finished, actual: actual.map((pattern) => pattern.signature as string), stored };
  });
  if (outcome.recorded && outcome.stored !== undefined)
    options.predictor?.learn(outcome.stored, outcome.actual);

  const result: CompletionResult = {
    workflow_id: workflowId,
    status: completion.status,
    recorded: outcome.recorded,
    actual: outcome.actual,
    validation: null,
  };
  if (completion.status === "failed") return { ...result, validation_skipped: "failed_run" };
  try {
    const validated = await db
      .transaction()
      .execute((trx) => validateStoredPredictions(trx, workflowId, outcome.actual));
    if (validated.predicted.length === 0) return { ...result, validation_skipped: "no_predictions" };
    const validation = compareRun(workflowId, validated.predicted, outcome.actual);
    if (validated.newly_validated > 0) {
      log(formatValidationLog(validation));
      for (const promoted of await promoteCandidates(database, options.candidateThresholds)) {
        log(`[validator] pattern ${promoted.pattern_signature}: ${promoted.from} → ${promoted.to}`);
      }
      for (const pattern of validated.updated_patterns) {
        log(
          `[validator] pattern ${pattern.pattern_signature}: prediction accuracy ${(pattern.prediction_accuracy * 100).toFixed(2)}%`,
        );
      }
    }
    return { ...result, validation };
  } catch (error) {
    console.error(
      `[validator] workflow ${workflowId}: validation failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { ...result, validation_skipped: "validation_error" };
  }
}
