import { describe, expect, it } from "vitest";
import { PatternloopCoreError } from "./errors.js";
import { classificationMetrics, compareSets, macroAverage, microAverage, wilsonInterval } from "./metrics.js";

describe("compareSets: §6 worked examples", () => {
  it("predicted {a}, actual {a}: accuracy 1, no misses", () => {
    const result = compareSets(["a"], ["a"]);
    expect(result.accuracy).toBe(1);
    expect(result.false_positives).toBe(0);
    expect(result.false_negatives).toBe(0);
    expect(result.precision).toBe(1);
    expect(result.recall).toBe(1);
    expect(result.f1).toBe(1);
  });

  it("predicted {a, b, c}, actual {a, b}: correct 2, accuracy 0.67, one false positive", () => {
    const result = compareSets(["a", "b", "c"], ["a", "b"]);
    expect(result.correct).toBe(2);
    expect(result.accuracy).toBeCloseTo(0.67, 2);
    expect(result.false_positives).toBe(1);
    expect(result.false_negatives).toBe(0);
    expect(result.false_positive_signatures).toEqual(["c"]);
  });

  it("predicted {a}, actual {a, b, c}: accuracy 1, two misses, recall 0.33", () => {
    const result = compareSets(["a"], ["a", "b", "c"]);
    expect(result.accuracy).toBe(1);
    expect(result.false_negatives).toBe(2);
    expect(result.recall).toBeCloseTo(0.33, 2);
    expect(result.f1).toBeCloseTo(0.5, 10);
    expect(result.false_negative_signatures).toEqual(["b", "c"]);
  });
});

describe("compareSets", () => {
  it("reports null, not 0, for ratios without a denominator", () => {
    const nothingPredicted = compareSets([], ["a"]);
    expect(nothingPredicted.accuracy).toBeNull();
    expect(nothingPredicted.precision).toBeNull();
    expect(nothingPredicted.recall).toBe(0);
    expect(nothingPredicted.f1).toBeNull();

    const nothingHappened = compareSets(["a", "b"], []);
    expect(nothingHappened.false_positives).toBe(2);
    expect(nothingHappened.accuracy).toBe(0);
    expect(nothingHappened.recall).toBeNull();

    const empty = compareSets([], []);
    expect([empty.accuracy, empty.precision, empty.recall, empty.f1]).toEqual([null, null, null, null]);
  });

  it("gives F1 0 when every prediction was wrong", () => {
    expect(compareSets(["a"], ["b"]).f1).toBe(0);
  });

  it("counts duplicates once and sorts the signature lists", () => {
    const result = compareSets(["z:z:z", "a:a:a", "a:a:a", "m:m:m"], ["m:m:m", "b:b:b", "a:a:a"]);
    expect(result.predicted).toBe(3);
    expect(result.actual).toBe(3);
    expect(result.true_positive_signatures).toEqual(["a:a:a", "m:m:m"]);
    expect(result.false_positive_signatures).toEqual(["z:z:z"]);
    expect(result.false_negative_signatures).toEqual(["b:b:b"]);
  });
});

describe("classificationMetrics", () => {
  it("derives predicted and actual from the counts by default", () => {
    const result = classificationMetrics({ truePositives: 3, falsePositives: 1, falseNegatives: 2 });
    expect(result).toMatchObject({ predicted: 4, actual: 5, correct: 3 });
    expect(result.precision).toBeCloseTo(0.75, 10);
    expect(result.recall).toBeCloseTo(0.6, 10);
    expect(result.f1).toBeCloseTo((2 * 0.75 * 0.6) / (0.75 + 0.6), 10);
  });

  it("uses an explicit predicted count for accuracy", () => {
    const result = classificationMetrics({
      truePositives: 2,
      falsePositives: 0,
      falseNegatives: 0,
      predicted: 4,
    });
    expect(result.accuracy).toBe(0.5);
    expect(result.precision).toBe(1);
  });

  it("refuses negative, fractional or inconsistent counts", () => {
    expect(() => classificationMetrics({ truePositives: -1, falsePositives: 0, falseNegatives: 0 })).toThrow(
      PatternloopCoreError,
    );
    expect(() => classificationMetrics({ truePositives: 1.5, falsePositives: 0, falseNegatives: 0 })).toThrow(
      /non-negative integer/,
    );
    expect(() =>
      classificationMetrics({ truePositives: 3, falsePositives: 0, falseNegatives: 0, predicted: 2 }),
    ).toThrow(/below truePositives/);
  });
});

describe("microAverage and macroAverage", () => {
  const runs = [
    compareSets(["a"], ["a"]),
    compareSets(["a", "b", "c"], ["a", "b"]),
    compareSets(["a"], ["a", "b", "c"]),
  ];

  it("micro-averages by pooling counts first", () => {
    const pooled = microAverage(runs);
    expect(pooled).toMatchObject({
      predicted: 5,
      actual: 6,
      correct: 4,
      false_positives: 1,
      false_negatives: 2,
    });
    expect(pooled.precision).toBeCloseTo(4 / 5, 10);
    expect(pooled.recall).toBeCloseTo(4 / 6, 10);
  });

  it("macro-averages the per-run ratios, skipping nulls", () => {
    const averaged = macroAverage([...runs, compareSets([], [])]);
    expect(averaged.precision).toBeCloseTo((1 + 2 / 3 + 1) / 3, 10);
    expect(averaged.recall).toBeCloseTo((1 + 1 + 1 / 3) / 3, 10);
    expect(averaged.f1).toBeCloseTo((1 + 0.8 + 0.5) / 3, 10);
  });

  it("is null or zero for nothing to average", () => {
    expect(macroAverage([])).toEqual({ precision: null, recall: null, f1: null });
    const pooled = microAverage([]);
    expect(pooled.predicted).toBe(0);
    expect(pooled.accuracy).toBeNull();
  });
});

describe("wilsonInterval", () => {
  it("matches the textbook 95 % interval for 8 of 10", () => {
    const interval = wilsonInterval(8, 10);
    expect(interval?.lower).toBeCloseTo(0.49, 3);
    expect(interval?.upper).toBeCloseTo(0.943, 3);
  });

  it("stays inside [0, 1] at the extremes", () => {
    const none = wilsonInterval(0, 10);
    expect(none?.lower).toBe(0);
    expect(none?.upper).toBeCloseTo(0.2775, 3);
    const all = wilsonInterval(10, 10);
    expect(all?.upper).toBe(1);
    expect(all?.lower).toBeCloseTo(0.7225, 3);
  });

  it("narrows as trials grow and widens with a larger z", () => {
    const small = wilsonInterval(8, 10);
    const large = wilsonInterval(800, 1000);
    const wide = wilsonInterval(8, 10, 2.576);
    if (!small || !large || !wide) throw new Error("expected intervals");
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    expect(wide.upper - wide.lower).toBeGreaterThan(small.upper - small.lower);
  });

  it("is null without trials and refuses impossible input", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(11, 10)).toThrow(PatternloopCoreError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(/z must be positive/);
  });
});
