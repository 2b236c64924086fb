import { createDetector, type Detector } from "@patternloop/core";
import { type ActualPatterns, isStorageFailure, type PatternloopDatabase } from "@patternloop/db";
import { answerEnds, type CompletionLogs } from "./answer-ends.js";
import type { CompleteRunsOptions, CompletionOutcome, CompletionRequest } from "./completion-types.js";
import { type RecordedEnd, type RefusedEnd, recordEnds } from "./record-ends.js";
import {
  noValidations,
  validateEachAlone,
  validateInSavepoint,
  validationFailedLine,
} from "./validate-ends.js";

const defaultDetector = createDetector();

/** The options of a call, with their defaults filled in. */
interface Settings extends Omit<CompleteRunsOptions, "detector" | "log" | "logError"> {
  detect: Detector;
  logs: CompletionLogs;
}

/**
 * Records runs' ends and answers each with an outcome, in the order given; never throws. For each run it
 * stores the final figures and tool calls, detects the run's actual patterns and records their occurrences
 * (each pattern's statistics move once for the whole call), then, for a completed run, validates its stored
 * predictions under a savepoint, so that a validation error is logged (`validation_error`) and never undoes
 * the recorded end. Candidates are then promoted once. One completion is a list of one.
 *
 * The outcomes are those of completing the runs one after the other: a run nobody started is answered
 * `unknown_run`, a run that already ended the other way `already_finished`, and the others are recorded; the
 * same completion reported again changes nothing (`recorded: false`); a run listed twice is completed, then
 * repeated. A failed run records its occurrences and validates nothing.
 *
 * If the batch fails as a whole, each completion is tried again alone, so that only the one at fault is
 * `failed`; but when it failed because the database does not work (busy, full, read-only: see
 * `isStorageFailure`), every completion not recorded yet gets that one failure at once, as trying each would
 * only meet it again, one busy timeout each.
 *
 * @example
 * const [outcome] = await completeRuns(database, [{ workflowId: "wf-1", completion: { status: "completed" } }]);
 * if (outcome?.outcome === "completed") console.log(outcome.result.actual);
 */
export async function completeRuns(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  options: CompleteRunsOptions = {},
): Promise<CompletionOutcome[]> {
  const { detector, log, logError, ...rest } = options;
  const settings: Settings = {
    ...rest,
    detect: detector ?? defaultDetector,
    logs: { log: log ?? console.log, logError: logError ?? ((line) => console.error(line)) },
  };
  const outcomes: (CompletionOutcome | undefined)[] = requests.map(() => undefined);
  let storageFailure: Error | undefined;
  for (const round of distinctRounds(requests)) {
    const batch = round.map((i) => requests[i] as CompletionRequest);
    const answers =
      storageFailure === undefined
        ? await completeRound(database, batch, settings)
        : batch.map((request) => failedWith(request, storageFailure as Error));
    round.forEach((i, j) => {
      outcomes[i] = answers[j];
    });
    storageFailure ??= storageFailureOf(answers);
  }
  return requests.map((request, i) => outcomes[i] ?? failedWith(request, new Error("completion not run")));
}

/** Splits requests (by index) into consecutive rounds in which each run appears once, keeping each run's order. */
function distinctRounds(requests: readonly CompletionRequest[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  requests.forEach((request, i) => {
    const round = seen.get(request.workflowId) ?? 0;
    seen.set(request.workflowId, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]?.push(i);
  });
  return rounds;
}

/**
 * Completes runs that each appear once, together; should that fail, each alone, until one meets a storage
 * failure, which the rest then get as well. At most one try together and one try for each.
 */
async function completeRound(
  database: PatternloopDatabase,
  round: readonly CompletionRequest[],
  settings: Settings,
): Promise<CompletionOutcome[]> {
  const together = await tryCompleting(database, round, settings);
  if (together.ok) return together.outcomes;
  if (round.length === 1 || isStorageFailure(together.error))
    return round.map((request) => failedWith(request, together.error));
  const outcomes: CompletionOutcome[] = [];
  let storageFailure: Error | undefined;
  for (const request of round) {
    if (storageFailure !== undefined) {
      outcomes.push(failedWith(request, storageFailure));
      continue;
    }
    const alone = await tryCompleting(database, [request], settings);
    if (!alone.ok && isStorageFailure(alone.error)) storageFailure = alone.error;
    outcomes.push(
      alone.ok
        ? (alone.outcomes[0] ?? failedWith(request, new Error("completion not run")))
        : failedWith(request, alone.error),
    );
  }
  return outcomes;
}

async function tryCompleting(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  settings: Settings,
): Promise<{ ok: true; outcomes: CompletionOutcome[] } | { ok: false; error: Error }> {
  try {
    return { ok: true, outcomes: await completeDistinct(database, requests, settings) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * One transaction records every end and its occurrences and, under a savepoint, validates every completed
 * run's predictions; then the predictor learns the new runs and each request is answered. Throws when the
 * transaction fails.
 */
async function completeDistinct(
  database: PatternloopDatabase,
  requests: readonly CompletionRequest[],
  settings: Settings,
): Promise<CompletionOutcome[]> {
  const validations = noValidations();
  const { ends, toValidate, failure } = await database.db.transaction().execute(async (trx) => {
    const ends = await recordEnds(trx, requests, settings.detect);
    const toValidate = runsToValidate(requests, ends);
    const failure = await validateInSavepoint(trx, toValidate, validations);
    return { ends, toValidate, failure };
  });
  for (const end of ends)
    if (end.outcome === "recorded" && end.recorded && end.stored !== undefined)
      settings.predictor?.learn(end.stored, end.actual);
  if (failure !== undefined) {
    if (toValidate.length === 1)
      settings.logs.logError(validationFailedLine(toValidate[0]?.workflow_id, failure.error));
    else await validateEachAlone(database, toValidate, validations, settings.logs.logError);
  }
  return answerEnds(database, requests, ends, validations, settings.candidateThresholds, settings.logs);
}

/** The runs whose predictions are validated: the completed ones, known and not refused. */
function runsToValidate(
  requests: readonly CompletionRequest[],
  ends: readonly (RefusedEnd | RecordedEnd)[],
): ActualPatterns[] {
  return requests.flatMap((request, i) => {
    const end = ends[i];
    return end?.outcome === "recorded" && request.completion.status === "completed"
      ? [{ workflow_id: request.workflowId, actual: end.actual }]
      : [];
  });
}

function failedWith(request: CompletionRequest, error: Error): CompletionOutcome {
  return { outcome: "failed", workflowId: request.workflowId, error };
}

function storageFailureOf(outcomes: readonly CompletionOutcome[]): Error | undefined {
  for (const outcome of outcomes)
    if (outcome.outcome === "failed" && isStorageFailure(outcome.error)) return outcome.error;
  return undefined;
}
