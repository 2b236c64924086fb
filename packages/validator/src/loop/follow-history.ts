import {
  type BackfillError,
  type BackfilledRun,
  backfillPatterns,
  isStorageFailure,
  type PatternloopDatabase,
  type PatternloopDbError,
} from "@patternloop/db";
import { type CandidateThresholds, promoteCandidates } from "../lifecycle/promote-candidates.js";

/** The bounds of {@link FollowOptions.intervalMs}: often enough to matter, never a busy loop. */
export const FOLLOW_INTERVAL_MS = Object.freeze({ min: 1_000, default: 5_000, max: 3_600_000 });

/** Options of {@link followHistory}. */
export interface FollowOptions {
  /** Stops the loop: the batch being written commits (or rolls back), nothing new starts. */
  readonly signal: AbortSignal;
  /** The pause between two looks at the history; clamped to {@link FOLLOW_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Runs per transaction; small, so that a stop never waits for a large batch. Default 100. */
  readonly batchSize?: number;
  readonly candidateThresholds?: CandidateThresholds;
  /** Each run recorded, as soon as its batch committed. */
  readonly onRun?: (run: BackfilledRun) => void;
  /** A run that could not be processed; it is skipped, the others go on. */
  readonly onError?: (error: BackfillError) => void;
  /**
   * The database did not work for one look (busy past the wait, full, read-only…): reported, and tried
   * again at the next look rather than ending the loop.
   */
  readonly onStorageFailure?: (error: PatternloopDbError) => void;
}

/** What a {@link followHistory} did, from its start to its stop. */
export interface FollowSummary {
  /** Looks at the history. */
  looks: number;
  /** Runs recorded, completed and failed. */
  processed: number;
  completed: number;
  failed: number;
  patterns_detected: number;
  new_patterns: number;
  /** Stored predictions of the completed runs, validated. */
  validated_predictions: number;
  /** Patterns promoted to candidate meanwhile. */
  promoted: string[];
  errors: number;
  storage_failures: number;
  elapsed_ms: number;
}

/**
 * Keeps a history's patterns current while something else writes its runs (an ADW system's own `INSERT`
 * and `UPDATE … SET status = 'completed'`, `ingest`, the hook receiver): every `intervalMs` it records the
 * finished runs not recorded yet, oldest first, validates the stored predictions of those that completed,
 * and promotes the patterns that became candidates. Each batch is one transaction, so a stop (the signal)
 * or a crash at any point leaves the history as a later backfill expects it. Returns once the signal
 * aborts, after the batch being written.
 *
 * @example
 * const stop = new AbortController();
 * process.once("SIGTERM", () => stop.abort());
 * const summary = await followHistory(database, { signal: stop.signal, onRun: (run) => console.log(run) });
 */
export async function followHistory(
  database: PatternloopDatabase,
  options: FollowOptions,
): Promise<FollowSummary> {
  const started = performance.now();
  const { signal } = options;
  const intervalMs = Math.min(
    FOLLOW_INTERVAL_MS.max,
    Math.max(FOLLOW_INTERVAL_MS.min, options.intervalMs ?? FOLLOW_INTERVAL_MS.default),
  );
  const summary: FollowSummary = {
    looks: 0,
    processed: 0,
    completed: 0,
    failed: 0,
    patterns_detected: 0,
    new_patterns: 0,
    validated_predictions: 0,
    promoted: [],
    errors: 0,
    storage_failures: 0,
    elapsed_ms: 0,
  };
  while (!signal.aborted) {
    summary.looks++;
    try {
      const look = await backfillPatterns(database.db, {
        batchSize: options.batchSize ?? 100,
        signal,
        worker: false,
        onRun: (run) => {
          summary[run.status]++;
          options.onRun?.(run);
        },
      });
      summary.processed += look.processed;
      summary.patterns_detected += look.patterns_detected;
      summary.new_patterns += look.new_patterns;
      summary.validated_predictions += look.validated_predictions;
      summary.errors += look.errors;
      for (const error of look.error_details) options.onError?.(error);
      if (look.processed > 0) {
        const promoted = await promoteCandidates(database, options.candidateThresholds);
        summary.promoted.push(...promoted.map((change) => change.pattern_signature));
      }
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      // A wait for the lock given up because of the stop is no failure to report.
      if (signal.aborted) break;
      summary.storage_failures++;
      options.onStorageFailure?.(error);
    }
    await pause(intervalMs, signal);
  }
  summary.elapsed_ms = performance.now() - started;
  return summary;
}

/** Waits `ms`, or less when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
