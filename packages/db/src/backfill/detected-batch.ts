import {
  type Attribution,
  type DetectedOccurrence,
  type Detector,
  type OccurrenceObservation,
  occurrencesOfRun,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import type { PreparedOccurrence, PreparedRun } from "../patterns/prepared-occurrence.js";
import { loadQueuedRuns, type QueuedRun } from "../runs/load-queued-runs.js";
import type { CallDetail } from "../runs/stored-run.js";
import type { Database } from "../schema/database.js";
import { batchOf } from "./run-queue.js";

/** A run a backfill could not process, and why. */
export interface BackfillError {
  workflow_id: string;
  message: string;
}

/** What the occurrences of one run observe of it: all of an observation but the tokens and cost. */
export type RunObservation = Omit<OccurrenceObservation, "tokens" | "cost">;

/**
 * What detection made of one batch of the queue, column by column: the runs in queue order, their
 * occurrences one after the other, and the runs that failed. A few arrays of plain values are cheap to post
 * from the detection worker and cheap to read for the writer, where an object per occurrence (and per
 * observation) cost more to copy between threads than to detect.
 */
export interface DetectedBatch {
  /** Row ids (`workflow_history.id`), one per run. */
  ids: number[];
  workflowIds: string[];
  /** One per run: its project (`workflow_history.project`), which the command tallies count. */
  projects: (string | null)[];
  /** One per run: whether it completed (its stored predictions are validated when it is recorded). */
  completed: boolean[];
  /** One per run: what its occurrences observe of it; null for a run without occurrences. */
  observations: (RunObservation | null)[];
  /** Where each run's occurrences start in the columns below, and after the last run, where they end. */
  starts: number[];
  /** One per occurrence, from here on. */
  signatures: string[];
  /** `JSON.stringify` of the evidence. */
  evidence: (string | null)[];
  attributions: (Attribution | null)[];
  tokens: (number | null)[];
  costs: (number | null)[];
  errors: BackfillError[];
}

/**
 * Detects the patterns of each run and prepares its occurrences for storing. A run that fails is reported
 * in `errors`; the others go on.
 */
export function detectBatch(runs: Iterable<QueuedRun>, detect: Detector): DetectedBatch {
  const batch = emptyBatch();
  for (const { id, run, project } of runs) {
    let occurrences: DetectedOccurrence[];
    let evidence: (string | null)[];
    let first: OccurrenceObservation | undefined;
    try {
      occurrences = occurrencesOfRun(run, detect(run));
      evidence = occurrences.map((occurrence) => JSON.stringify(occurrence.pattern.evidence) ?? null);
      // `occurrencesOfRun` observes its run once and charges each pattern its own tokens and cost.
      const observed = occurrences[0]?.observation;
      if (observed !== undefined && !occurrences.every((o) => sameRun(o.observation, observed)))
        throw new TypeError("its occurrences observe the run differently");
      first = observed;
    } catch (error) {
      batch.errors.push(errorOf(run.workflow_id, error));
      continue;
    }
    batch.ids.push(id);
    batch.workflowIds.push(run.workflow_id);
    batch.projects.push(project);
    batch.completed.push(run.status === "completed");
    batch.observations.push(first === undefined ? null : runObservation(first));
    occurrences.forEach((occurrence, i) => {
      batch.signatures.push(occurrence.pattern.signature);
      batch.evidence.push(evidence[i] as string | null);
      batch.attributions.push(occurrence.attribution);
      batch.tokens.push(occurrence.observation.tokens);
      batch.costs.push(occurrence.observation.cost);
    });
    batch.starts.push(batch.signatures.length);
  }
  return batch;
}

/** A batch of no runs. */
export function emptyBatch(): DetectedBatch {
  return {
    ids: [],
    workflowIds: [],
    projects: [],
    completed: [],
    observations: [],
    starts: [0],
    signatures: [],
    evidence: [],
    attributions: [],
    tokens: [],
    costs: [],
    errors: [],
  };
}

/** Runs `from` (included) to `to` (excluded) of a batch, each built when iteration reaches it. */
export function* preparedRuns(batch: DetectedBatch, from: number, to: number): Generator<PreparedRun> {
  for (let run = from; run < to; run++) {
    const observed = batch.observations[run] as RunObservation;
    const occurrences: PreparedOccurrence[] = [];
    for (let at = batch.starts[run] as number; at < (batch.starts[run + 1] as number); at++) {
      occurrences.push({
        signature: batch.signatures[at] as string,
        evidence: batch.evidence[at] as string | null,
        attribution: batch.attributions[at] as Attribution | null,
        // Written out rather than spread: one shape for every observation, and several times faster.
        observation: {
          tokens: batch.tokens[at] as number | null,
          cost: batch.costs[at] as number | null,
          duration_seconds: observed.duration_seconds,
          succeeded: observed.succeeded,
          had_error: observed.had_error,
          retry_count: observed.retry_count,
          workflow_time: observed.workflow_time,
          characteristics: observed.characteristics,
        },
      });
    }
    yield { workflow_id: batch.workflowIds[run] as string, occurrences };
  }
}

/** The signatures of run `run` of a batch. */
export function signaturesOf(batch: DetectedBatch, run: number): string[] {
  return batch.signatures.slice(batch.starts[run], batch.starts[run + 1]);
}

export function errorOf(workflowId: string, error: unknown): BackfillError {
  return { workflow_id: workflowId, message: error instanceof Error ? error.message : String(error) };
}

/**
 * The queue's batches detected in this thread, in order. Each batch is read and detected while the caller
 * writes the one before: on PostgreSQL the read runs on a second connection, and the server executes the
 * writes while this thread detects (on SQLite's one connection the read simply waits for the write).
 */
export async function* detectInProcess(
  db: Kysely<Database>,
  queue: Float64Array,
  batchSize: number,
  detect: Detector,
  detail: CallDetail,
): AsyncGenerator<DetectedBatch> {
  const detectAt = async (start: number) =>
    detectBatch(await loadQueuedRuns(db, batchOf(queue, start, batchSize), detail), detect);
  let next: Promise<DetectedBatch> | undefined;
  try {
    for (let start = 0; start < queue.length; start += batchSize) {
      const batch = await (next ?? detectAt(start));
      next = start + batchSize < queue.length ? detectAt(start + batchSize) : undefined;
      // Awaited in turn (or below); a failure before then must not count as unhandled.
      next?.catch(() => undefined);
      yield batch;
    }
  } finally {
    // Stopped early: the read under way ends before the caller may close the database.
    await next?.catch(() => undefined);
  }
}

function runObservation(observation: OccurrenceObservation): RunObservation {
  return {
    duration_seconds: observation.duration_seconds,
    succeeded: observation.succeeded,
    had_error: observation.had_error,
    retry_count: observation.retry_count,
    workflow_time: observation.workflow_time,
    characteristics: observation.characteristics,
  };
}

function sameRun(a: OccurrenceObservation, b: OccurrenceObservation): boolean {
  return (
    a.duration_seconds === b.duration_seconds &&
    a.succeeded === b.succeeded &&
    a.had_error === b.had_error &&
    a.retry_count === b.retry_count &&
    a.workflow_time === b.workflow_time &&
    a.characteristics === b.characteristics
  );
}
