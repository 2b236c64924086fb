import { describe, expect, it } from "vitest";
import { bootstrapMeanDifference, percentileInterval } from "./bootstrap.js";
import { seededRandom } from "./seeded-random.js";

/** Runs costing `cost` with probability `share`, from a fixed seed: a period with a known mean. */
function period(runs: number, share: number, cost: number, seed: number) {
  const random = seededRandom(seed);
  const costs: number[] = [];
  for (let i = 0; i < runs; i++) if (random() < share) costs.push(cost * (0.5 + random()));
  return { costs, runs };
}

describe("bootstrapMeanDifference", () => {
  it("gives the exact means and their difference", () => {
    const result = bootstrapMeanDifference({ costs: [1, 1, 1], runs: 4 }, { costs: [1], runs: 4 });
    expect(result.before).toBe(0.75);
    expect(result.after).toBe(0.25);
    expect(result.difference).toBe(0.5);
    expect(result.relative).toBeCloseTo(2 / 3, 12);
  });

  it("is deterministic: the same seed gives the same interval, another seed another", () => {
    const before = period(300, 0.5, 0.02, 1);
    const after = period(300, 0.2, 0.02, 2);
    const one = bootstrapMeanDifference(before, after, { seed: 7 });
    expect(bootstrapMeanDifference(before, after, { seed: 7 })).toEqual(one);
    expect(bootstrapMeanDifference(before, after, { seed: 8 }).interval).not.toEqual(one.interval);
  });

  it("covers a known difference and excludes zero when the effect is large", () => {
    // Expected cost per run: 0.5 × 0.02 = 0.01 before, 0.2 × 0.02 = 0.004 after; true relative saving 0.6.
    const result = bootstrapMeanDifference(period(600, 0.5, 0.02, 3), period(600, 0.2, 0.02, 4));
    expect(result.interval?.lower).toBeGreaterThan(0);
    expect(result.interval?.lower).toBeLessThan(0.006);
    expect(result.interval?.upper).toBeGreaterThan(0.006);
    expect(result.relative_interval?.lower).toBeLessThan(0.6);
    expect(result.relative_interval?.upper).toBeGreaterThan(0.6);
  });

  it("includes zero when both periods come from the same process", () => {
    const result = bootstrapMeanDifference(period(400, 0.4, 0.02, 5), period(400, 0.4, 0.02, 6));
    expect(result.interval?.lower).toBeLessThan(0);
    expect(result.interval?.upper).toBeGreaterThan(0);
  });

  it("narrows as runs grow", () => {
    const width = (runs: number) => {
      const { interval } = bootstrapMeanDifference(period(runs, 0.5, 0.02, 9), period(runs, 0.3, 0.02, 10));
      return (interval?.upper ?? 0) - (interval?.lower ?? 0);
    };
    expect(width(2000)).toBeLessThan(width(100) / 2);
  });

  it("matches a plain resampling of every run on average (the skipping draws the same distribution)", () => {
    // Variance of a resampled mean = population variance / n; check the interval width against it.
    const before = period(500, 0.3, 0.02, 11);
    const { interval, before: mean } = bootstrapMeanDifference(
      before,
      { costs: [], runs: 500 },
      { resamples: 4000 },
    );
    let squares = 0;
    for (const cost of before.costs) squares += cost * cost;
    const variance = squares / 500 - mean * mean;
    const expectedWidth = 2 * 1.96 * Math.sqrt(variance / 500);
    const width = (interval?.upper ?? 0) - (interval?.lower ?? 0);
    expect(width).toBeGreaterThan(expectedWidth * 0.85);
    expect(width).toBeLessThan(expectedWidth * 1.15);
  });

  it("has no interval when a period has no runs", () => {
    const result = bootstrapMeanDifference({ costs: [1], runs: 2 }, { costs: [], runs: 0 });
    expect(result.interval).toBeNull();
    expect(result.relative_interval).toBeNull();
  });
});

describe("percentileInterval", () => {
  it("takes the central share with interpolation", () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    const { lower, upper } = percentileInterval(values, 0.9);
    expect(lower).toBeCloseTo(5, 9);
    expect(upper).toBeCloseTo(95, 9);
    expect(percentileInterval([3, 1, 2], 0.5)).toEqual({ lower: 1.5, upper: 2.5 });
  });
});
