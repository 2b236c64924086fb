import {
  createDetector,
  type Detector,
  occurrencesOfRun,
  type RunOccurrence,
  type StatisticsConfig,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { type HistorySpan, readHistorySpan } from "../patterns/history-span.js";
import { type RunOccurrences, recordOccurrences } from "../patterns/record-occurrences.js";
import { refreshMonthlySavings } from "../patterns/refresh-monthly-savings.js";
import { loadRunsByRowIds, loadRunsForDetection, type StoredRun } from "../runs/load-runs.js";
import type { Database } from "../schema/database.js";
import { countFinishedRuns, unprocessedRunIds } from "./run-queue.js";

export interface BackfillOptions {
  /** Detect and report, write nothing. */
  dryRun?: boolean;
  /** Process at most this many runs. */
  limit?: number;
  /**
   * Runs per transaction; default 250. Larger batches are no faster (a commit is cheap next to a batch's
   * work) and hold more in memory.
   */
  batchSize?: number;
  detector?: Detector;
  statistics?: StatisticsConfig;
  /** Called after each batch. */
  onProgress?: (progress: { processed: number; total: number; errors: number }) => void;
  /** Called for each run, with the signatures found in it. */
  onRun?: (run: { workflow_id: string; signatures: string[] }) => void;
}

export interface BackfillError {
  workflow_id: string;
  message: string;
}

export interface BackfillSummary {
  dry_run: boolean;
  /** Runs handled by this backfill. */
  processed: number;
  /** Runs this backfill set out to handle (unprocessed finished runs, within `limit`). */
  total: number;
  /** Finished runs recorded by an earlier backfill and skipped. */
  already_processed: number;
  /** Pattern occurrences found in the processed runs. */
  patterns_detected: number;
  /** Occurrences that were new to the database (0 in a dry run). */
  new_occurrences: number;
  /** Signatures seen for the first time. */
  new_patterns: number;
  errors: number;
  error_details: BackfillError[];
  elapsed_ms: number;
}

/**
 * Reads every finished run oldest first and records its patterns, occurrences and statistics (§5).
 * Each batch of runs commits as one transaction together with the runs' processed marker, so a backfill
 * killed at any point resumes where it stopped and ends with the same statistics; a second backfill finds
 * nothing to do. A run that fails is reported and skipped; the others go on.
 */
export async function backfillPatterns(
  db: Kysely<Database>,
  options: BackfillOptions = {},
): Promise<BackfillSummary> {
  const started = performance.now();
  const detect = options.detector ?? createDetector();
  // A detector of the caller's may read any field of a run; the default one reads less of its tool calls.
  const loadRuns = options.detector !== undefined ? loadRunsByRowIds : loadRunsForDetection;
  const batchSize = options.batchSize ?? 250;
  const counts = await countFinishedRuns(db);
  const total = Math.min(counts.pending, options.limit ?? Number.POSITIVE_INFINITY);
  const summary: BackfillSummary = {
    dry_run: options.dryRun ?? false,
    processed: 0,
    total,
    already_processed: counts.finished - counts.pending,
    patterns_detected: 0,
    new_occurrences: 0,
    new_patterns: 0,
    errors: 0,
    error_details: [],
    elapsed_ms: 0,
  };
  const known = options.dryRun
    ? new Set(
        (await db.selectFrom("operation_patterns").select("pattern_signature").execute()).map(
          (row) => row.pattern_signature,
        ),
      )
    : undefined;

  const queue = (await unprocessedRunIds(db)).slice(0, total);
  // The finished runs are all there already: their span holds for the whole backfill.
  const span = await readHistorySpan(db);
  for (let start = 0; start < queue.length; start += batchSize) {
    const batch: RunOccurrences[] = [];
    for (const run of await loadRuns(db, queue.slice(start, start + batchSize))) {
      const detected = detectRun(run, detect, summary);
      if (detected !== undefined) batch.push(detected);
    }
    summary.patterns_detected += batch.reduce((sum, run) => sum + run.occurrences.length, 0);
    const written =
      known !== undefined
        ? countNewPatterns(batch, known, summary)
        : await writeBatch(db, batch, options.statistics, span, summary);
    summary.processed += written.length;
    // Reported once stored (or, in a dry run, detected): a run printed here survives an interruption.
    for (const run of written)
      options.onRun?.({
        workflow_id: run.workflow_id,
        signatures: run.occurrences.map((o) => o.pattern.signature),
      });
    options.onProgress?.({ processed: summary.processed, total, errors: summary.errors });
  }
  if (!options.dryRun && summary.processed > 0) await refreshMonthlySavings(db);
  summary.elapsed_ms = performance.now() - started;
  return summary;
}

function detectRun(run: StoredRun, detect: Detector, summary: BackfillSummary): RunOccurrences | undefined {
  try {
    const occurrences: RunOccurrence[] = occurrencesOfRun(run, detect(run));
    return { workflow_id: run.workflow_id, occurrences };
  } catch (error) {
    fail(summary, run.workflow_id, error);
    return undefined;
  }
}

/**
 * One transaction for the batch; if it fails, each run again on its own, so one bad run costs only itself.
 * Returns the runs stored.
 */
async function writeBatch(
  db: Kysely<Database>,
  batch: RunOccurrences[],
  statistics: StatisticsConfig | undefined,
  span: HistorySpan,
  summary: BackfillSummary,
): Promise<RunOccurrences[]> {
  try {
    await writeRuns(db, batch, statistics, span, summary);
    return batch;
  } catch {
    const written: RunOccurrences[] = [];
    for (const run of batch) {
      try {
        await writeRuns(db, [run], statistics, span, summary);
        written.push(run);
      } catch (error) {
        fail(summary, run.workflow_id, error);
      }
    }
    return written;
  }
}

function countNewPatterns(
  batch: RunOccurrences[],
  known: Set<string>,
  summary: BackfillSummary,
): RunOccurrences[] {
  for (const signature of batch.flatMap((run) => run.occurrences.map((o) => o.pattern.signature))) {
    if (known.has(signature)) continue;
    known.add(signature);
    summary.new_patterns++;
  }
  return batch;
}

async function writeRuns(
  db: Kysely<Database>,
  runs: RunOccurrences[],
  statistics: StatisticsConfig | undefined,
  span: HistorySpan,
  summary: BackfillSummary,
): Promise<void> {
  const result = await db.transaction().execute(async (trx) => {
    const recorded = await recordOccurrences(trx, runs, statistics, span);
    await trx
      .updateTable("workflow_history")
      .set({ patterns_processed_at: new Date().toISOString() })
      .where(
        "workflow_id",
        "in",
        runs.map((run) => run.workflow_id),
      )
      .execute();
    return recorded;
  });
  summary.new_occurrences += result.newOccurrences;
  summary.new_patterns += result.newPatterns.length;
}

function fail(summary: BackfillSummary, workflowId: string, error: unknown): void {
  summary.errors++;
  summary.error_details.push({
    workflow_id: workflowId,
    message: error instanceof Error ? error.message : String(error),
  });
}
