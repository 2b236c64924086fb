import { escapeLogText } from "@patternloop/core";
import {
  type ActualPatterns,
  type Database,
  type PatternloopDatabase,
  type StoredValidations,
  validateStoredPredictionsOfRuns,
  withSavepoint,
} from "@patternloop/db";
import type { Kysely } from "kysely";

/** The validations of a batch's completed runs, gathered for its answers and log lines. */
export interface Validations {
  /** Per validated run; a run whose validation failed is missing. */
  runs: Map<string, { predicted: string[]; newly_validated: number }>;
  newlyValidated: number;
  updatedPatterns: { pattern_signature: string; prediction_accuracy: number }[];
}

export function noValidations(): Validations {
  return { runs: new Map(), newlyValidated: 0, updatedPatterns: [] };
}

/**
 * Validates the runs inside the caller's transaction, under a savepoint: should that fail, what it wrote is
 * rolled back (the recorded ends stand) and the error returned, nothing added to `into`.
 */
export async function validateInSavepoint(
  trx: Kysely<Database>,
  runs: readonly ActualPatterns[],
  into: Validations,
): Promise<{ error: unknown } | undefined> {
  if (runs.length === 0) return undefined;
  const validated = await withSavepoint(trx, "validation", (inner) =>
    validateStoredPredictionsOfRuns(inner, runs),
  );
  if (!validated.ok) return { error: validated.error };
  addValidations(runs, validated.value, into);
  return undefined;
}

/**
 * After the batch's validation failed: validates each run in a transaction of its own, so that only the run
 * at fault goes without, and tells `logError` about it.
 */
export async function validateEachAlone(
  database: PatternloopDatabase,
  runs: readonly ActualPatterns[],
  into: Validations,
  logError: (line: string) => void,
): Promise<void> {
  for (const run of runs) {
    try {
      const validated = await database.db
        .transaction()
        .execute((trx) => validateStoredPredictionsOfRuns(trx, [run]));
      addValidations([run], validated, into);
    } catch (error) {
      logError(validationFailedLine(run.workflow_id, error));
    }
  }
}

export function validationFailedLine(workflowId: string | undefined, error: unknown): string {
  return `[validator] workflow ${escapeLogText(String(workflowId))}: validation failed: ${escapeLogText(error instanceof Error ? error.message : String(error))}`;
}

function addValidations(
  runs: readonly ActualPatterns[],
  validated: StoredValidations,
  into: Validations,
): void {
  runs.forEach((run, i) => {
    const entry = validated.runs[i];
    if (entry === undefined) return;
    into.runs.set(run.workflow_id, entry);
    into.newlyValidated += entry.newly_validated;
  });
  into.updatedPatterns.push(...validated.updated_patterns);
}
