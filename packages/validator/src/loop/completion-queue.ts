import type { PatternloopDatabase } from "@patternloop/db";
import type { CompleteRunOptions, CompletionResult, RunCompletion } from "./complete-run.js";
import { type CompletionRequest, completeRuns } from "./complete-runs.js";

/** Completes runs as they are reported, several at a time: see {@link createCompletionQueue}. */
export interface CompletionQueue {
  /**
   * Records a run's end as {@link completeRun} does; resolves once its batch is committed and validated.
   *
   * @throws PatternloopValidatorError `unknown_run` or `already_finished`, as `completeRun`.
   */
  complete(workflowId: string, completion: RunCompletion): Promise<CompletionResult>;
}

export interface CompletionQueueOptions extends CompleteRunOptions {
  /** Most completions recorded in one batch; default {@link DEFAULT_MAX_BATCH}. */
  maxBatch?: number;
  /** Told the size of each batch before it is written (for metrics). */
  onBatch?: (size: number) => void;
}

export const DEFAULT_MAX_BATCH = 64;

interface Waiting extends CompletionRequest {
  resolve(result: CompletionResult): void;
  reject(error: Error): void;
}

/**
 * Group commit for a server: completions that arrive while a batch is being written wait, then go together
 * through {@link completeRuns} (two transactions and one promotion check for the whole batch instead of for
 * each). A lone completion is written at once, after the requests already read by the same turn of the
 * event loop have joined it; nothing waits on a timer. Each caller gets its own result or error, exactly as
 * if the completions had been recorded one after the other in arrival order.
 */
export function createCompletionQueue(
  database: PatternloopDatabase,
  options: CompletionQueueOptions = {},
): CompletionQueue {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be a whole number ≥ 1, not ${maxBatch}`);
  const waiting: Waiting[] = [];
  let busy = false;

  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      options.onBatch?.(batch.length);
      try {
        const outcomes = await completeRuns(database, batch, options);
        batch.forEach((request, i) => {
          const outcome = outcomes[i];
          if (outcome === undefined) request.reject(new Error("completion not run"));
          else if ("error" in outcome) request.reject(outcome.error);
          else request.resolve(outcome.result);
        });
      } catch (error) {
        for (const request of batch)
          request.reject(error instanceof Error ? error : new Error(String(error)));
      }
      // Lets the requests that arrived meanwhile be read, so that they join the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    busy = false;
  };

  return {
    complete(workflowId, completion) {
      return new Promise<CompletionResult>((resolve, reject) => {
        waiting.push({ workflowId, completion, resolve, reject });
        if (busy) return;
        busy = true;
        // After the requests read in this turn of the event loop, not before them (a synchronous database
        // would otherwise write each on its own).
        setImmediate(() => void drain());
      });
    },
  };
}
