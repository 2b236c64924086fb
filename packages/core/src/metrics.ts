import { PatternloopCoreError } from "./errors.js";

/** Counts of one comparison of predictions against what actually happened. */
export interface ClassificationCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Defaults to `truePositives + falsePositives`. */
  predicted?: number;
  /** Defaults to `truePositives + falseNegatives`. */
  actual?: number;
}

/**
 * Validation figures of §6. A ratio whose denominator is 0 is `null`, never 0 or NaN, so "no predictions"
 * is never confused with "every prediction was wrong".
 */
export interface ClassificationMetrics {
  predicted: number;
  actual: number;
  /** True positives. */
  correct: number;
  false_positives: number;
  false_negatives: number;
  /** correct / predicted. */
  accuracy: number | null;
  /** TP / (TP + FP). */
  precision: number | null;
  /** TP / (TP + FN). */
  recall: number | null;
  /** Harmonic mean of precision and recall: 0 when both are 0, null when either is null. */
  f1: number | null;
}

/** {@link ClassificationMetrics} plus which signatures fell in each cell, each list sorted. */
export interface SetComparison extends ClassificationMetrics {
  true_positive_signatures: string[];
  false_positive_signatures: string[];
  false_negative_signatures: string[];
}

export interface MacroAverage {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface WilsonInterval {
  lower: number;
  upper: number;
}

/**
 * Accuracy, precision, recall and F1 from raw counts (§6).
 *
 * @example classificationMetrics({ truePositives: 2, falsePositives: 1, falseNegatives: 0 }).accuracy // 0.666…
 * @throws PatternloopCoreError `invalid_counts` when a count is negative or not an integer.
 */
export function classificationMetrics(counts: ClassificationCounts): ClassificationMetrics {
  const tp = countOf("truePositives", counts.truePositives);
  const fp = countOf("falsePositives", counts.falsePositives);
  const fn = countOf("falseNegatives", counts.falseNegatives);
  const predicted = counts.predicted === undefined ? tp + fp : countOf("predicted", counts.predicted);
  const actual = counts.actual === undefined ? tp + fn : countOf("actual", counts.actual);
  if (predicted < tp || actual < tp) {
    throw new PatternloopCoreError("invalid_counts", "predicted and actual cannot be below truePositives");
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  // 2TP / (2TP + FP + FN) equals 2PR / (P + R) but stays defined (0) when every prediction was wrong.
  const f1 = precision === null || recall === null ? null : ratio(2 * tp, 2 * tp + fp + fn);
  return {
    predicted,
    actual,
    correct: tp,
    false_positives: fp,
    false_negatives: fn,
    accuracy: ratio(tp, predicted),
    precision,
    recall,
    f1,
  };
}

/**
 * Compares predicted signatures with the ones actually detected. Duplicates count once.
 *
 * @example compareSets(["a", "b", "c"], ["a", "b"]) // correct 2, false_positives 1, accuracy 0.666…
 */
export function compareSets(predicted: Iterable<string>, actual: Iterable<string>): SetComparison {
  const predictedSet = new Set(predicted);
  const actualSet = new Set(actual);
  const truePositives = [...predictedSet].filter((item) => actualSet.has(item)).sort();
  const falsePositives = [...predictedSet].filter((item) => !actualSet.has(item)).sort();
  const falseNegatives = [...actualSet].filter((item) => !predictedSet.has(item)).sort();
  return {
    ...classificationMetrics({
      truePositives: truePositives.length,
      falsePositives: falsePositives.length,
      falseNegatives: falseNegatives.length,
    }),
    true_positive_signatures: truePositives,
    false_positive_signatures: falsePositives,
    false_negative_signatures: falseNegatives,
  };
}

/**
 * Pools the counts of many comparisons, then computes the ratios, so that runs with more predictions
 * weigh more. An empty input gives zero counts and null ratios.
 */
export function microAverage(results: Iterable<ClassificationMetrics>): ClassificationMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let predicted = 0;
  let actual = 0;
  for (const result of results) {
    tp += result.correct;
    fp += result.false_positives;
    fn += result.false_negatives;
    predicted += result.predicted;
    actual += result.actual;
  }
  return classificationMetrics({
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    predicted,
    actual,
  });
}

/**
 * Mean of each item's precision, recall and F1, so that every item (run or pattern) weighs the same.
 * Items where a metric is null are left out of that metric's mean; null when no item has a value.
 */
export function macroAverage(results: Iterable<ClassificationMetrics>): MacroAverage {
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (const result of results) {
    if (result.precision !== null) precision.push(result.precision);
    if (result.recall !== null) recall.push(result.recall);
    if (result.f1 !== null) f1.push(result.f1);
  }
  return { precision: mean(precision), recall: mean(recall), f1: mean(f1) };
}

/**
 * Wilson score interval for a proportion: unlike the normal approximation it stays inside [0, 1] and is
 * honest for the small samples a young pattern has. Null when there are no trials.
 *
 * @param z standard score of the confidence level; 1.96 for 95 %.
 * @example wilsonInterval(8, 10) // { lower: 0.490…, upper: 0.943… }
 * @throws PatternloopCoreError `invalid_counts` when successes is outside [0, trials] or z is not positive.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): WilsonInterval | null {
  const n = countOf("trials", trials);
  const k = countOf("successes", successes);
  if (k > n) throw new PatternloopCoreError("invalid_counts", "successes cannot exceed trials");
  if (!(Number.isFinite(z) && z > 0)) throw new PatternloopCoreError("invalid_counts", "z must be positive");
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Rounding can push the bounds a hair outside [0, 1] when k is 0 or n.
  return { lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

function countOf(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new PatternloopCoreError("invalid_counts", `${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
