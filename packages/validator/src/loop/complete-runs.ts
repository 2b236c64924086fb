import { createDetector, escapeLogText, occurrencesOfRun, toUtcIso } from "@patternloop/core";
import {
  appendToolCalls,
  type Database,
  isStorageFailure,
  loadRuns,
  type PatternloopDatabase,
  type RunActual,
  type RunEnd,
  recordOccurrences,
  recordRunEnd,
  runFigures,
  type StoredRun,
  type StoredValidations,
  validateStoredPredictionsOfRuns,
} from "@patternloop/db";
import { type Kysely, sql } from "kysely";
import { promoteCandidates } from "../lifecycle/promote-candidates.js";
import { compareRun, formatValidationLog } from "../run-validation.js";
import { PatternloopValidatorError } from "../validator-error.js";
import type { CompleteRunOptions, CompletionResult, RunCompletion } from "./complete-run.js";

/** One reported end of a run. */
export interface CompletionRequest {
  workflowId: string;
  completion: RunCompletion;
}

/** What became of one completion of a batch: its result, or its error (a storage failure is the whole batch's). */
export type CompletionOutcome = { result: CompletionResult } | { error: Error };

const defaultDetector = createDetector();

/**
 * Records several runs' ends as {@link completeRun} records one, with the statements and the commit shared:
 * one transaction records every end and its occurrences (each pattern's statistics move once for the batch)
 * and, under a savepoint, validates every completed run's predictions; then candidates are promoted once.
 * The outcomes are those of completing the runs one after the other, in the order given: an unknown or
 * already finished run gets its error and the others are recorded; a run listed twice is completed, then
 * repeated. If the batch fails as a whole, each completion is retried alone, so that only the one at fault
 * fails; but when it failed because the database does not work (busy, full, read-only: see
 * `isStorageFailure`), every completion not recorded yet gets that one failure at once, as retrying each
 * would only meet it again, one busy timeout each.
 */
export async function completeRuns(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  options: CompleteRunOptions = {},
): Promise<CompletionOutcome[]> {
  const outcomes = new Map<CompletionRequest, CompletionOutcome>();
  let failed: CompletionOutcome | undefined;
  for (const round of distinctRounds(requests)) {
    const answers = failed === undefined ? await completeRound(database, round, options) : [];
    round.forEach((request, i) => {
      outcomes.set(request, failed ?? answers[i] ?? notRun());
    });
    failed ??= answers.find(isStorageFailed);
  }
  return requests.map((request) => outcomes.get(request) ?? notRun());
}

/**
 * Completes runs that each appear once, together; should that fail, each alone, until one meets a storage
 * failure, which the rest then get as well.
 */
async function completeRound(
  database: PatternloopDatabase,
  round: readonly CompletionRequest[],
  options: CompleteRunOptions,
): Promise<CompletionOutcome[]> {
  try {
    return await completeDistinct(database, round, options);
  } catch (error) {
    if (round.length === 1 || isStorageFailure(error)) return round.map(() => ({ error: asError(error) }));
    const outcomes: CompletionOutcome[] = [];
    for (const request of round) {
      const failed = outcomes.find(isStorageFailed);
      outcomes.push(failed ?? (await completeRound(database, [request], options))[0] ?? notRun());
    }
    return outcomes;
  }
}

function isStorageFailed(outcome: CompletionOutcome): boolean {
  return "error" in outcome && isStorageFailure(outcome.error);
}

/** Splits requests into consecutive rounds in which each run appears once, keeping each run's order. */
function distinctRounds(requests: readonly CompletionRequest[]): CompletionRequest[][] {
  const rounds: CompletionRequest[][] = [];
  const seen = new Map<string, number>();
  for (const request of requests) {
    const round = seen.get(request.workflowId) ?? 0;
    seen.set(request.workflowId, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]?.push(request);
  }
  return rounds;
}

function notRun(): CompletionOutcome {
  return { error: new Error("completion not run") };
}

/** A request once its end is recorded: its error, or what was stored and detected. */
type Recorded =
  | { error: PatternloopValidatorError }
  | { recorded: boolean; stored: StoredRun | undefined; actual: string[] };

async function completeDistinct(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  options: CompleteRunOptions,
): Promise<CompletionOutcome[]> {
  const validations: Validations = { runs: new Map(), newlyValidated: 0, updatedPatterns: [] };
  const { recorded, toValidate, failure } = await database.db.transaction().execute(async (trx) => {
    const recorded = await recordEnds(trx, database.engine, requests, options);
    const toValidate = runsToValidate(requests, recorded);
    const failure = await validateInSavepoint(trx, toValidate, validations);
    return { recorded, toValidate, failure };
  });
  requests.forEach((_, i) => {
    const entry = recorded[i];
    if (entry !== undefined && !("error" in entry) && entry.recorded && entry.stored !== undefined)
      options.predictor?.learn(entry.stored, entry.actual);
  });
  if (failure !== undefined) {
    if (toValidate.length === 1) logValidationError(toValidate[0]?.workflow_id, failure);
    else await validateEachAlone(database, toValidate, validations);
  }
  return finishEnds(database, requests, recorded, validations, options);
}

/**
 * Locks the runs, stores the ends not recorded yet with their tool calls, and detects and records their
 * patterns. Locking first (in id order on PostgreSQL) makes two replicas receiving one
 * completion at once finish one after the other, the second seeing the run already ended; SQLite writers
 * are serialised anyway.
 */
async function recordEnds(
  trx: Kysely<Database>,
  engine: PatternloopDatabase["engine"],
  requests: readonly CompletionRequest[],
  options: CompleteRunOptions,
): Promise<Recorded[]> {
  const ids = requests.map((request) => request.workflowId);
  let lock = trx
    .selectFrom("workflow_history")
    .select(["workflow_id", "status"])
    .where("workflow_id", "in", ids)
    .orderBy("workflow_id");
  if (engine === "postgres") lock = lock.forUpdate();
  const statusOf = new Map((await lock.execute()).map((row) => [row.workflow_id, row.status]));

  const now = new Date().toISOString();
  const fresh: CompletionRequest[] = [];
  const errors = new Map<string, PatternloopValidatorError>();
  for (const { workflowId, completion } of requests) {
    const error = endError(workflowId, statusOf.get(workflowId), completion.status);
    if (error !== undefined) errors.set(workflowId, error);
    else if (!isFinished(statusOf.get(workflowId))) {
      fresh.push({ workflowId, completion });
      await recordRunEnd(trx, workflowId, endColumns(completion, now));
    }
  }
  await appendToolCalls(
    trx,
    fresh.map(({ workflowId, completion }) => ({
      workflow_id: workflowId,
      calls: completion.tool_calls ?? [],
    })),
  );
  const stored = new Map(
    (
      await loadRuns(
        trx,
        ids.filter((id) => !errors.has(id)),
      )
    ).map((run) => [run.workflow_id, run]),
  );
  const detect = options.detector ?? defaultDetector;
  const freshIds = new Set(fresh.map((request) => request.workflowId));
  const occurrences = [];
  const results: Recorded[] = [];
  for (const id of ids) {
    const error = errors.get(id);
    if (error !== undefined) {
      results.push({ error });
      continue;
    }
    const run = stored.get(id);
    const patterns = run === undefined ? [] : detect(run);
    if (freshIds.has(id) && run !== undefined)
      occurrences.push({ workflow_id: id, occurrences: occurrencesOfRun(run, patterns) });
    results.push({
      recorded: freshIds.has(id),
      stored: run,
      actual: patterns.map((pattern) => pattern.signature as string),
    });
  }
  if (occurrences.length > 0) await recordOccurrences(trx, occurrences, options.statistics);
  return results;
}

function isFinished(status: string | undefined): boolean {
  return status === "completed" || status === "failed";
}

/** Why a run cannot take this end: it is unknown, or it already ended otherwise. */
function endError(
  workflowId: string,
  status: string | undefined,
  reported: RunCompletion["status"],
): PatternloopValidatorError | undefined {
  if (status === undefined)
    return new PatternloopValidatorError(
      "unknown_run",
      `no run ${JSON.stringify(workflowId)}: register it with a run start first`,
    );
  if (isFinished(status) && status !== reported)
    return new PatternloopValidatorError(
      "already_finished",
      `run ${JSON.stringify(workflowId)} already ended as ${status}`,
    );
  return undefined;
}

/** The `workflow_history` columns a completion sets. */
function endColumns(completion: RunCompletion, now: string): RunEnd {
  return {
    status: completion.status,
    end_time: toUtcIso(completion.end_time) ?? now,
    ...runFigures(completion),
    updated_at: now,
    patterns_processed_at: now,
  };
}

/** The runs whose predictions are validated: the completed ones, known and not refused. */
function runsToValidate(requests: readonly CompletionRequest[], recorded: readonly Recorded[]): RunActual[] {
  return requests.flatMap((request, i) => {
    const entry = recorded[i];
    return entry !== undefined && !("error" in entry) && request.completion.status === "completed"
      ? [{ workflow_id: request.workflowId, actual: entry.actual }]
      : [];
  });
}

/**
 * Answers each request from its recorded end and validation, logs each newly validated run (§6), then
 * promotes candidates and logs the patterns whose accuracy moved. A completed run without a validation
 * (its validation failed) is answered `validation_error`, its recorded end standing.
 */
async function finishEnds(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  recorded: readonly Recorded[],
  validations: Validations,
  options: CompleteRunOptions,
): Promise<CompletionOutcome[]> {
  const log = options.log ?? console.log;
  const outcomes = requests.map((request, i): CompletionOutcome => {
    const entry = recorded[i];
    if (entry === undefined || "error" in entry)
      return { error: entry?.error ?? new Error("completion not recorded") };
    const result: CompletionResult = {
      workflow_id: request.workflowId,
      status: request.completion.status,
      recorded: entry.recorded,
      actual: entry.actual,
      validation: null,
    };
    if (request.completion.status === "failed")
      return { result: { ...result, validation_skipped: "failed_run" } };
    const validated = validations.runs.get(request.workflowId);
    if (validated === undefined) return { result: { ...result, validation_skipped: "validation_error" } };
    if (validated.predicted.length === 0)
      return { result: { ...result, validation_skipped: "no_predictions" } };
    const validation = compareRun(request.workflowId, validated.predicted, entry.actual);
    if (validated.newly_validated > 0) log(formatValidationLog(validation));
    return { result: { ...result, validation } };
  });
  if (validations.newlyValidated > 0) {
    await promote(database, options, log);
    for (const pattern of validations.updatedPatterns)
      log(
        `[validator] pattern ${escapeLogText(pattern.pattern_signature)}: prediction accuracy ${(pattern.prediction_accuracy * 100).toFixed(2)}%`,
      );
  }
  return outcomes;
}

/** Promotes the patterns that now qualify; a failure is logged and never fails the completions. */
async function promote(
  database: PatternloopDatabase,
  options: CompleteRunOptions,
  log: (line: string) => void,
): Promise<void> {
  try {
    for (const promoted of await promoteCandidates(database, options.candidateThresholds))
      log(
        `[validator] pattern ${escapeLogText(promoted.pattern_signature)}: ${promoted.from} → ${promoted.to}`,
      );
  } catch (error) {
    console.error(
      `[validator] promoting candidates failed: ${escapeLogText(error instanceof Error ? error.message : String(error))}`,
    );
  }
}

interface Validations {
  /** Per validated run; a run whose validation failed is missing. */
  runs: Map<string, { predicted: string[]; newly_validated: number }>;
  newlyValidated: number;
  updatedPatterns: { pattern_signature: string; prediction_accuracy: number }[];
}

/**
 * Validates the runs inside the caller's transaction, under a savepoint: should that fail, the savepoint is
 * rolled back (the recorded ends stand) and the error returned, nothing added to `into`.
 */
async function validateInSavepoint(
  trx: Kysely<Database>,
  runs: readonly RunActual[],
  into: Validations,
): Promise<unknown> {
  if (runs.length === 0) return undefined;
  await sql`savepoint validation`.execute(trx);
  let validated: StoredValidations;
  try {
    validated = await validateStoredPredictionsOfRuns(trx, runs);
  } catch (error) {
    await sql`rollback to savepoint validation`.execute(trx);
    return error;
  }
  await sql`release savepoint validation`.execute(trx);
  addValidations(runs, validated, into);
  return undefined;
}

/** Validates each run in a transaction of its own, logging those that fail. */
async function validateEachAlone(
  database: PatternloopDatabase,
  runs: readonly RunActual[],
  into: Validations,
): Promise<void> {
  for (const run of runs) {
    try {
      const validated = await database.db
        .transaction()
        .execute((trx) => validateStoredPredictionsOfRuns(trx, [run]));
      addValidations([run], validated, into);
    } catch (error) {
      logValidationError(run.workflow_id, error);
    }
  }
}

function addValidations(runs: readonly RunActual[], validated: StoredValidations, into: Validations): void {
  runs.forEach((run, i) => {
    const entry = validated.runs[i];
    if (entry === undefined) return;
    into.runs.set(run.workflow_id, entry);
    into.newlyValidated += entry.newly_validated;
  });
  into.updatedPatterns.push(...validated.updated_patterns);
}

function logValidationError(workflowId: string | undefined, error: unknown): void {
  console.error(
    `[validator] workflow ${escapeLogText(String(workflowId))}: validation failed: ${escapeLogText(error instanceof Error ? error.message : String(error))}`,
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
