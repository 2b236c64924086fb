import { compareSets, escapeLogText, type SetComparison } from "@patternloop/core";

/** The per-run result of §6: counts and ratios (a ratio with a zero denominator is null), and the signatures behind them. */
export type RunValidation = SetComparison & { workflow_id: string };

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
  return { workflow_id: workflowId, ...compareSets(predicted, actual) };
}

/**
 * The §6 log line of a validated run: `[validator] workflow wf-123: predicted 3, actual 2, correct 2, accuracy 66.67%`.
 * The id is escaped, so that one holding a line break cannot forge the next line.
 */
export function formatValidationLog(result: RunValidation): string {
  const accuracy = result.accuracy === null ? "n/a" : `${(result.accuracy * 100).toFixed(2)}%`;
  return `[validator] workflow ${escapeLogText(result.workflow_id)}: predicted ${result.predicted}, actual ${result.actual}, correct ${result.correct}, accuracy ${accuracy}`;
}
