import { createDetector, type Detector } from "@patternloop/core";
import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { isStorageFailure } from "../patternloop-db-error.js";
import { recordPreparedOccurrences } from "../patterns/record-occurrences.js";
import { type ActualPatterns, validateStoredPredictionsOfRuns } from "../predictions/validate-predictions.js";
import { loadQueuedRuns } from "../runs/load-queued-runs.js";
import type { Database } from "../schema/database.js";
import { foldPatternTallies } from "../tallies/fold-pattern-tallies.js";
import { BackfillTallies, type StoredOccurrence } from "./backfill-tallies.js";
import { buildDeferredIndexes, dropDeferredIndexes, shouldBulkLoad } from "./deferred-indexes.js";
import { detectInWorker } from "./detect-in-worker.js";
import {
  type BackfillError,
  type DetectedBatch,
  detectBatch,
  detectInProcess,
  errorOf,
  preparedRuns,
  signaturesOf,
} from "./detected-batch.js";
import { restartLargeWal } from "./restart-wal.js";
import { countFinishedRuns, markRunsProcessed, unprocessedRunIds } from "./run-queue.js";

export type { BackfillError } from "./detected-batch.js";

export interface BackfillOptions {
  /** Detect and report, write nothing. */
  dryRun?: boolean;
  /** Process at most this many runs. */
  limit?: number;
  /** Runs per transaction; default 1000. */
  batchSize?: number;
  /**
   * Detects with this detector instead of the default one. It runs in the calling thread; the default one
   * runs in a worker thread when the database is a SQLite file (see `backfillPatterns`).
   */
  detector?: Detector;
  /**
   * Detect in a worker thread where that is possible (see `backfillPatterns`); default true. With false the
   * whole backfill runs on the calling thread.
   */
  worker?: boolean;
  /** Called after each batch. */
  onProgress?: (progress: { processed: number; total: number; errors: number }) => void;
  /**
   * Called for each run, with the signatures found in it and how many of its stored predictions were
   * validated now (0 in a dry run).
   */
  onRun?: (run: BackfilledRun) => void;
  /**
   * Stops the backfill between two batches once aborted: the batches before it are committed, the rest is
   * left for the next backfill (see `backfillPatterns`).
   */
  signal?: AbortSignal;
}

/** A run a backfill recorded (or, in a dry run, read). */
export interface BackfilledRun {
  workflow_id: string;
  status: "completed" | "failed";
  signatures: string[];
  /** Stored predictions of the run validated by this backfill: a completed run's, when it is recorded. */
  validated: number;
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
  /**
   * Stored predictions of the completed runs recorded, validated now (0 in a dry run): a run predicted at
   * its start and completed by whoever writes the history is validated when it is backfilled.
   */
  validated_predictions: number;
  /** Signatures seen for the first time. */
  new_patterns: number;
  errors: number;
  error_details: BackfillError[];
  elapsed_ms: number;
  /**
   * A dry run only (empty otherwise): the patterns it found in the runs it read, by runs most first, and
   * whether each is new to the database. A dry run stores nothing, so this, not the stored patterns, is
   * what it found.
   */
  found: FoundPattern[];
}

/** A pattern a dry run found: in how many of the runs it read, and whether the database has it yet. */
export interface FoundPattern {
  pattern_signature: string;
  runs: number;
  new: boolean;
}

/**
 * Reads every finished run oldest first and records its patterns, occurrences and statistics (§5).
 * Each batch of runs commits as one transaction together with the runs' processed marker, so a backfill
 * killed at any point resumes where it stopped and ends with the same statistics; a second backfill finds
 * nothing to do. A run that fails is reported and skipped; the others go on. A storage failure (busy, full,
 * read-only database: see `isStorageFailure`) is thrown as its `PatternloopDbError`, after the batches
 * before it committed.
 *
 * On a SQLite file in WAL mode, with the default detector and more than one batch (and a thousand runs) to
 * do, a worker thread reads and detects the next batches while this thread writes the current one: two
 * cores, the same results in the same order. PostgreSQL, `:memory:`, other journal modes and a caller's
 * own detector detect in this thread, between writes.
 *
 * A large first backfill (see `shouldBulkLoad`) drops the secondary indexes of the occurrence table, loads,
 * then builds them at the end, one sort each instead of a random insert per row. Killed or failed before
 * they are built, the next backfill builds them: with many runs left it carries on without them and builds
 * them at the end, otherwise (even with nothing left to do) it builds them first. Either way it ends as an
 * uninterrupted backfill would have.
 */
export async function backfillPatterns(
  db: Kysely<Database>,
  options: BackfillOptions = {},
): Promise<BackfillSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const counts = await countFinishedRuns(db);
  const total = Math.min(counts.pending, options.limit ?? Number.POSITIVE_INFINITY);
  const summary: BackfillSummary = {
    dry_run: options.dryRun ?? false,
    processed: 0,
    total,
    already_processed: counts.finished - counts.pending,
    patterns_detected: 0,
    new_occurrences: 0,
    validated_predictions: 0,
    new_patterns: 0,
    errors: 0,
    error_details: [],
    elapsed_ms: 0,
    found: [],
  };
  const found = new Map<string, number>();
  const known = options.dryRun
    ? new Set(
        (await db.selectFrom("operation_patterns").select("pattern_signature").execute()).map(
          (row) => row.pattern_signature,
        ),
      )
    : undefined;
  const stored = new Set(known);

  const queue = (await unprocessedRunIds(db)).subarray(0, total);
  // Before the worker opens its connection, so that it never reads a schema this one changes.
  const bulk = known === undefined && (await shouldBulkLoad(db, queue.length));
  if (bulk) await dropDeferredIndexes(db);
  // An earlier bulk load killed before it rebuilt them: rebuilt over what it loaded, before any row is
  // inserted one at a time.
  else if (known === undefined) await buildDeferredIndexes(db);
  // Counted as the occurrences are stored, when they are all the table will hold (see BackfillTallies).
  const tallies = known === undefined ? await BackfillTallies.start(db) : undefined;
  const { batches, workerReads } = await detectedBatches(
    db,
    queue,
    batchSize,
    options.detector,
    options.worker ?? true,
  );
  for await (const batch of batches) {
    if (options.signal?.aborted) break;
    for (const error of batch.errors) fail(summary, error);
    summary.patterns_detected += batch.signatures.length;
    const validated = new Map<string, number>();
    const written =
      known !== undefined
        ? countNewPatterns(batch, known, summary, found)
        : await writeBatch(db, batch, summary, validated, tallies);
    if (workerReads && known === undefined) await restartLargeWal(db);
    summary.processed += written.length;
    // Reported once stored (or, in a dry run, detected): a run printed here survives an interruption.
    for (const run of written)
      options.onRun?.({
        workflow_id: batch.workflowIds[run] as string,
        status: batch.completed[run] ? "completed" : "failed",
        signatures: signaturesOf(batch, run),
        validated: validated.get(batch.workflowIds[run] as string) ?? 0,
      });
    options.onProgress?.({ processed: summary.processed, total, errors: summary.errors });
  }
  if (bulk) await buildDeferredIndexes(db);
  summary.found = [...found]
    .map(([signature, runs]) => ({ pattern_signature: signature, runs, new: false }))
    .sort((a, b) => b.runs - a.runs || (a.pattern_signature < b.pattern_signature ? -1 : 1));
  for (const pattern of summary.found) pattern.new = !stored.has(pattern.pattern_signature);
  // The tallies the command figures read are brought up to date here, so the first read after does not fold:
  // stored as counted when that is what a fold would store, else folded.
  if (known === undefined && summary.processed > 0 && !(await tallies?.finish(db)))
    await foldPatternTallies(db);
  summary.elapsed_ms = performance.now() - started;
  return summary;
}

/** Below this many runs, starting a worker thread would cost about as much as it saves. */
const WORKER_MIN_RUNS = 1000;

/**
 * The queue's batches, detected in a worker thread where that is possible (see {@link backfillPatterns}),
 * and whether a worker reads beside this thread's writes.
 */
async function detectedBatches(
  db: Kysely<Database>,
  queue: Float64Array,
  batchSize: number,
  detector: Detector | undefined,
  worker: boolean,
): Promise<{ batches: AsyncIterable<DetectedBatch>; workerReads?: boolean }> {
  // A caller's detector may read any field of a run; the default one reads less of its tool calls.
  if (detector !== undefined) return { batches: detectInProcess(db, queue, batchSize, detector, "full") };
  const path =
    worker && queue.length >= WORKER_MIN_RUNS && queue.length > batchSize
      ? await engineFor(db).readerFile(db)
      : undefined;
  const detect = createDetector();
  if (path === undefined) return { batches: detectInProcess(db, queue, batchSize, detect, "detection") };
  const fallback = async (ids: readonly number[]) =>
    detectBatch(await loadQueuedRuns(db, ids, "detection"), detect);
  return { batches: detectInWorker(path, queue, batchSize, { fallback }), workerReads: true };
}

/**
 * One transaction for the batch; if it fails, each run again on its own, so one bad run costs only itself.
 * Returns the positions in the batch of the runs stored. A storage failure (a busy, full or read-only
 * database) is no run's fault and would fail every run again, one busy timeout each: it ends the backfill,
 * with the batches before it committed, so that running it again resumes.
 */
async function writeBatch(
  db: Kysely<Database>,
  batch: DetectedBatch,
  summary: BackfillSummary,
  validated: Map<string, number>,
  tallies: BackfillTallies | undefined,
): Promise<number[]> {
  const runs = batch.ids.length;
  if (runs === 0) return [];
  try {
    await writeRuns(db, batch, 0, runs, summary, validated, tallies);
    return Array.from({ length: runs }, (_, run) => run);
  } catch (error) {
    if (isStorageFailure(error)) throw error;
    const written: number[] = [];
    for (let run = 0; run < runs; run++) {
      try {
        await writeRuns(db, batch, run, run + 1, summary, validated, tallies);
        written.push(run);
      } catch (error) {
        if (isStorageFailure(error)) throw error;
        fail(summary, errorOf(batch.workflowIds[run] as string, error));
      }
    }
    return written;
  }
}

function countNewPatterns(
  batch: DetectedBatch,
  known: Set<string>,
  summary: BackfillSummary,
  found: Map<string, number>,
): number[] {
  // A run yields a signature at most once, so counting occurrences counts runs.
  for (const signature of batch.signatures) found.set(signature, (found.get(signature) ?? 0) + 1);
  for (const signature of batch.signatures) {
    if (known.has(signature)) continue;
    known.add(signature);
    summary.new_patterns++;
  }
  return batch.ids.map((_, run) => run);
}

/**
 * Runs `from` (included) to `to` (excluded) of the batch in one transaction, with their processed markers
 * and the validation of the completed runs' stored predictions against the patterns they had; then counts
 * the occurrences stored into the backfill's tallies (see `BackfillTallies`).
 */
async function writeRuns(
  db: Kysely<Database>,
  batch: DetectedBatch,
  from: number,
  to: number,
  summary: BackfillSummary,
  validated: Map<string, number>,
  tallies: BackfillTallies | undefined,
): Promise<void> {
  const completed: ActualPatterns[] = [];
  for (let run = from; run < to; run++)
    if (batch.completed[run])
      completed.push({ workflow_id: batch.workflowIds[run] as string, actual: signaturesOf(batch, run) });
  const result = await db.transaction().execute(async (trx) => {
    // The completed runs' predicted patterns are locked with the others, in one order, since this
    // transaction validates them next and a completion beside it may hold them in another order.
    const recorded = await recordPreparedOccurrences(
      trx,
      batch.signatures.slice(batch.starts[from], batch.starts[to]),
      preparedRuns(batch, from, to),
      { lockPredictionsOf: completed.map((run) => run.workflow_id) },
    );
    await markRunsProcessed(trx, batch.ids.slice(from, to));
    const validations =
      completed.length === 0 ? undefined : await validateStoredPredictionsOfRuns(trx, completed);
    return { recorded, validations };
  });
  summary.new_occurrences += result.recorded.newOccurrences;
  summary.new_patterns += result.recorded.newPatterns.length;
  result.validations?.runs.forEach((run, i) => {
    if (run.newly_validated === 0) return;
    validated.set((completed[i] as ActualPatterns).workflow_id, run.newly_validated);
    summary.validated_predictions += run.newly_validated;
  });
  // Last, once the summary holds what was committed: these runs are not written again whatever happens here.
  const occurrences = (batch.starts[to] as number) - (batch.starts[from] as number);
  await tallies?.add(db, storedRuns(batch, from, to), result.recorded.newOccurrences === occurrences);
}

/** Runs `from` (included) to `to` (excluded) of a batch as their tallies count them. */
function storedRuns(batch: DetectedBatch, from: number, to: number) {
  const runs: { project: string | null; occurrences: StoredOccurrence[] }[] = [];
  for (let run = from; run < to; run++) {
    const occurrences: StoredOccurrence[] = [];
    for (let at = batch.starts[run] as number; at < (batch.starts[run + 1] as number); at++)
      occurrences.push({
        signature: batch.signatures[at] as string,
        evidence: batch.evidence[at] as string | null,
      });
    runs.push({ project: batch.projects[run] as string | null, occurrences });
  }
  return runs;
}

function fail(summary: BackfillSummary, error: BackfillError): void {
  summary.errors++;
  summary.error_details.push(error);
}
