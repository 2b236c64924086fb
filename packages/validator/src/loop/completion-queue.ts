import type { PatternloopDatabase } from "@patternloop/db";
import { completeRuns } from "./complete-runs.js";
import type {
  CompleteRunsOptions,
  CompletionOutcome,
  CompletionRequest,
  RunCompletion,
} from "./completion-types.js";

/** Completes runs as they are reported, several at a time: see {@link createCompletionQueue}. */
export interface CompletionQueue {
  /**
   * Records a run's end through {@link completeRuns}; resolves with its outcome once its batch is committed
   * and validated. Never rejects: a failure is the outcome `failed`.
   */
  complete(workflowId: string, completion: RunCompletion): Promise<CompletionOutcome>;
}

export interface CompletionQueueOptions extends CompleteRunsOptions {
  /** Most completions recorded in one batch; default {@link DEFAULT_MAX_BATCH}. */
  maxBatch?: number;
  /** Told the size of each batch before it is written (for metrics). */
  onBatch?: (size: number) => void;
}

export const DEFAULT_MAX_BATCH = 64;

interface Waiting extends CompletionRequest {
  resolve(outcome: CompletionOutcome): void;
}

/**
 * Group commit for a server: completions that arrive while a batch is being written wait, then go together
 * through {@link completeRuns} (two transactions and one promotion check for the whole batch instead of for
 * each). A lone completion is written at once, after the requests already read by the same turn of the
 * event loop have joined it; nothing waits on a timer. Each caller gets its own outcome, exactly as if the
 * completions had been recorded one after the other in arrival order.
 */
export function createCompletionQueue(
  database: PatternloopDatabase,
  options: CompletionQueueOptions = {},
): CompletionQueue {
  const { maxBatch = DEFAULT_MAX_BATCH, onBatch, ...completeOptions } = options;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be a whole number ≥ 1, not ${maxBatch}`);
  const waiting: Waiting[] = [];
  let busy = false;

  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      onBatch?.(batch.length);
      // completeRuns answers every failure with an outcome; were it to throw all the same, the callers get
      // that error and the queue goes on, rather than waiting forever.
      const outcomes = await completeRuns(database, batch, completeOptions).catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        return batch.map((request): CompletionOutcome => failedWith(request.workflowId, failure));
      });
      batch.forEach((request, i) => {
        request.resolve(outcomes[i] ?? failedWith(request.workflowId, new Error("completion not run")));
      });
      // Lets the requests that arrived meanwhile be read, so that they join the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    busy = false;
  };

  return {
    complete(workflowId, completion) {
      return new Promise<CompletionOutcome>((resolve) => {
        waiting.push({ workflowId, completion, resolve });
        if (busy) return;
        busy = true;
        // After the requests read in this turn of the event loop, not before them (a synchronous database
        // would otherwise write each on its own).
        setImmediate(() => void drain());
      });
    },
  };
}

function failedWith(workflowId: string, error: Error): CompletionOutcome {
  return { outcome: "failed", workflowId, error };
}
