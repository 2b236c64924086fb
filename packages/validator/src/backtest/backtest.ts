import {
  type ClassificationMetrics,
  classificationMetrics,
  compareSets,
  createDetector,
  type MacroAverage,
  macroAverage,
  microAverage,
  type SetComparison,
} from "@patternloop/core";
import { createPredictor, type Predictor } from "../predictor/learned-predictor.js";
import { compare, replayInTimeOrder, type TimedRun } from "./replay-in-time-order.js";

/** A finished run as the backtest replays it. */
export type BacktestRun = TimedRun;

export interface AveragedMetrics {
  micro: Pick<ClassificationMetrics, "precision" | "recall" | "f1">;
  /** Mean of the per-pattern figures. */
  macro: MacroAverage;
}

export interface PatternBacktest extends ClassificationMetrics {
  signature: string;
  /** Runs that actually had the pattern. */
  support: number;
}

export interface BacktestResult {
  runs: number;
  learned: AveragedMetrics;
  baseline: AveragedMetrics;
  /** Per-pattern figures of the learned predictor, most frequent first. */
  patterns: PatternBacktest[];
}

export interface BacktestOptions {
  /** Builds the predictor under test; a fresh default one by default. */
  predictor?: () => Predictor;
}

const baselineDetector = createDetector({ sources: ["request", "template"] });

/**
 * Replays a history in time order (§6): each run is predicted only from runs that ended before it started,
 * then compared with what it actually did; a run is learned once its end time has passed. Reports micro- and
 * macro-averaged precision, recall and F1 of the learned predictor and of the rules-only baseline (the
 * detector on the request and template alone).
 */
export function backtest(history: readonly BacktestRun[], options: BacktestOptions = {}): BacktestResult {
  const predictor = (options.predictor ?? createPredictor)();
  const learned: SetComparison[] = [];
  const baseline: SetComparison[] = [];
  for (const { run, predictions } of replayInTimeOrder(history, predictor)) {
    learned.push(
      compareSets(
        predictions.map((prediction) => prediction.signature),
        run.actual,
      ),
    );
    baseline.push(
      compareSets(
        baselineDetector({ nl_input: run.nl_input, workflow_template: run.workflow_template }).map(
          (pattern) => pattern.signature as string,
        ),
        run.actual,
      ),
    );
  }
  const patterns = perPattern(learned);
  return {
    runs: history.length,
    learned: averaged(learned, patterns),
    baseline: averaged(baseline, perPattern(baseline)),
    patterns,
  };
}

function averaged(
  perRun: readonly SetComparison[],
  patterns: readonly ClassificationMetrics[],
): AveragedMetrics {
  const { precision, recall, f1 } = microAverage(perRun);
  return { micro: { precision, recall, f1 }, macro: macroAverage(patterns) };
}

/** Per-pattern figures from the runs' comparisons, most frequent pattern first. */
function perPattern(comparisons: readonly SetComparison[]): PatternBacktest[] {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const add = (signatures: readonly string[], key: "tp" | "fp" | "fn") => {
    for (const signature of signatures) {
      const entry = counts.get(signature) ?? { tp: 0, fp: 0, fn: 0 };
      entry[key]++;
      counts.set(signature, entry);
    }
  };
  for (const comparison of comparisons) {
    add(comparison.true_positive_signatures, "tp");
    add(comparison.false_positive_signatures, "fp");
    add(comparison.false_negative_signatures, "fn");
  }
  return [...counts]
    .map(([signature, c]) => ({
      signature,
      support: c.tp + c.fn,
      ...classificationMetrics({ truePositives: c.tp, falsePositives: c.fp, falseNegatives: c.fn }),
    }))
    .sort((a, b) => b.support - a.support || compare(a.signature, b.signature));
}
