import { compareSets, type SetComparison } from "@patternloop/core";

/** The per-run result of §6: counts and ratios, a ratio with a zero denominator is null. */
export interface RunValidation {
  workflow_id: string;
  predicted: number;
  actual: number;
  correct: number;
  false_positives: number;
  false_negatives: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  true_positive_signatures: string[];
  false_positive_signatures: string[];
  false_negative_signatures: string[];
}

/**
 * Compares what was predicted for a run with what it actually did (§6).
 *
 * @example compareRun("wf-1", ["a", "b", "c"], ["a", "b"]) // correct 2, accuracy 0.67, FP 1, FN 0
 */
export function compareRun(
  workflowId: string,
  predicted: Iterable<string>,
  actual: Iterable<string>,
): RunValidation {
  const comparison: SetComparison = compareSets(predicted, actual);
  return {
    workflow_id: workflowId,
    predicted: comparison.predicted,
    actual: comparison.actual,
    correct: comparison.correct,
    false_positives: comparison.false_positives,
    false_negatives: comparison.false_negatives,
    accuracy: comparison.accuracy,
    precision: comparison.precision,
    recall: comparison.recall,
    f1: comparison.f1,
    true_positive_signatures: comparison.true_positive_signatures,
    false_positive_signatures: comparison.false_positive_signatures,
    false_negative_signatures: comparison.false_negative_signatures,
  };
}

/** The §6 log line of a validated run: `[validator] workflow wf-123: predicted 3, actual 2, correct 2, accuracy 66.67%`. */
export function formatValidationLog(result: RunValidation): string {
  const accuracy = result.accuracy === null ? "n/a" : `${(result.accuracy * 100).toFixed(2)}%`;
  return `[validator] workflow ${result.workflow_id}: predicted ${result.predicted}, actual ${result.actual}, correct ${result.correct}, accuracy ${accuracy}`;
}
