import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addToAggregates,
  confidenceScore,
  confidenceTier,
  emptyAggregates,
  type PatternAggregates,
  type PatternObservation,
} from "./confidence.js";

function aggregate(observations: PatternObservation[]): PatternAggregates {
  return observations.reduce(addToAggregates, emptyAggregates());
}

function runs(count: number, observation: Partial<PatternObservation> = {}): PatternObservation[] {
  return Array.from({ length: count }, () => ({
    succeeded: true,
    had_error: false,
    retry_count: 0,
    ...observation,
  }));
}

const BAND: Record<ReturnType<typeof confidenceTier>, [number, number]> = {
  new: [0, 30],
  emerging: [30, 60],
  established: [60, 100.0001],
};

const aggregatesArbitrary = fc
  .record({
    occurrence_count: fc.integer({ min: 1, max: 5_000 }),
    success_share: fc.double({ min: 0, max: 1, noNaN: true }),
    error_share: fc.double({ min: 0, max: 1, noNaN: true }),
    retry_sum: fc.integer({ min: 0, max: 20_000 }),
    duration_n: fc.integer({ min: 0, max: 5_000 }),
    duration_sum: fc.double({ min: 0, max: 1e7, noNaN: true }),
    duration_sq_sum: fc.double({ min: 0, max: 1e14, noNaN: true }),
    tokens_n: fc.integer({ min: 0, max: 5_000 }),
    tokens_sum: fc.double({ min: 0, max: 1e9, noNaN: true }),
    tokens_sq_sum: fc.double({ min: 0, max: 1e18, noNaN: true }),
  })
  .map(({ success_share, error_share, ...rest }) => ({
    ...rest,
    success_count: Math.floor(success_share * rest.occurrence_count),
    error_count: Math.floor(error_share * rest.occurrence_count),
  }));

describe("confidenceTier", () => {
  it("follows the documented thresholds", () => {
    expect([1, 2, 3, 9, 10, 500].map(confidenceTier)).toEqual([
      "new",
      "new",
      "emerging",
      "emerging",
      "established",
      "established",
    ]);
  });
});

describe("confidenceScore", () => {
  it("is 0 without occurrences", () => {
    expect(confidenceScore(emptyAggregates())).toBe(0);
  });

  it.each([
    [1, 0, 30],
    [2, 0, 30],
    [3, 30, 60],
    [9, 30, 60],
    [10, 60, 100],
    [1_000, 60, 100],
  ])("keeps %i perfect occurrences in [%i, %i)", (count, lower, upper) => {
    const score = confidenceScore(aggregate(runs(count, { duration_seconds: 60, tokens: 1_000 })));
    expect(score).toBeGreaterThanOrEqual(lower);
    expect(count >= 10 ? score <= upper : score < upper).toBe(true);
  });

  it("keeps the worst patterns of a tier at or above its floor", () => {
    const failing = aggregate(
      Array.from({ length: 10 }, (_, i) => ({
        succeeded: false,
        had_error: true,
        retry_count: 9,
        duration_seconds: i % 2 === 0 ? 1 : 10_000,
        tokens: i % 2 === 0 ? 10 : 10_000_000,
      })),
    );
    expect(confidenceScore(failing)).toBeGreaterThanOrEqual(60);
    expect(confidenceScore(aggregate(runs(3, { succeeded: false, had_error: true })))).toBeGreaterThanOrEqual(
      30,
    );
  });

  it("rises with more occurrences of the same quality within a tier", () => {
    const scores = [3, 5, 9, 10, 20, 100].map((count) => confidenceScore(aggregate(runs(count))));
    for (let i = 1; i < scores.length; i++)
      expect(scores[i]).toBeGreaterThan(scores[i - 1] ?? Number.POSITIVE_INFINITY);
  });

  it("rewards success, no errors and few retries", () => {
    const clean = confidenceScore(aggregate(runs(5)));
    expect(confidenceScore(aggregate(runs(5, { succeeded: false })))).toBeLessThan(clean);
    expect(confidenceScore(aggregate(runs(5, { had_error: true })))).toBeLessThan(clean);
    expect(confidenceScore(aggregate(runs(5, { retry_count: 2 })))).toBeLessThan(clean);
  });

  it("rewards consistent durations and tokens, treating missing measures as neutral", () => {
    const steady = aggregate(runs(12, { duration_seconds: 100, tokens: 5_000 }));
    // One run out of twelve takes a hundred times longer and costs a hundred times more.
    const erratic = aggregate(
      runs(12).map((run, i) => ({ ...run, duration_seconds: i ? 10 : 1_000, tokens: i ? 1_000 : 100_000 })),
    );
    const unmeasured = aggregate(runs(12));
    expect(confidenceScore(steady)).toBeGreaterThan(confidenceScore(unmeasured));
    expect(confidenceScore(unmeasured)).toBeGreaterThan(confidenceScore(erratic));
  });

  it("property: the score stays in the band of its occurrence count", () => {
    fc.assert(
      fc.property(aggregatesArbitrary, (stats) => {
        const score = confidenceScore(stats);
        const [lower, upper] = BAND[confidenceTier(stats.occurrence_count)];
        return score >= lower && score < upper;
      }),
    );
  });

  it("property: more successes with everything else the same never lower the score", () => {
    fc.assert(
      fc.property(aggregatesArbitrary, fc.integer({ min: 1, max: 5_000 }), (stats, extra) => {
        const more = {
          ...stats,
          success_count: Math.min(stats.occurrence_count, stats.success_count + extra),
        };
        return confidenceScore(more) >= confidenceScore(stats);
      }),
    );
  });

  it("property: inconsistent or corrupt aggregates still give a score within 0–100", () => {
    const wild = fc.double({ noDefaultInfinity: false });
    fc.assert(
      fc.property(
        fc.record({
          occurrence_count: wild,
          success_count: wild,
          error_count: wild,
          retry_sum: wild,
          duration_n: wild,
          duration_sum: wild,
          duration_sq_sum: wild,
          tokens_n: wild,
          tokens_sum: wild,
          tokens_sq_sum: wild,
        }),
        (stats) => {
          const score = confidenceScore(stats);
          return Number.isFinite(score) && score >= 0 && score <= 100;
        },
      ),
    );
  });
});

describe("addToAggregates", () => {
  it("folds an occurrence into counts and sums without changing its input", () => {
    const before = emptyAggregates();
    const after = addToAggregates(before, {
      succeeded: true,
      had_error: false,
      retry_count: 2,
      duration_seconds: 30,
      tokens: 400,
    });
    expect(before).toEqual(emptyAggregates());
    expect(after).toEqual({
      occurrence_count: 1,
      success_count: 1,
      error_count: 0,
      retry_sum: 2,
      duration_n: 1,
      duration_sum: 30,
      duration_sq_sum: 900,
      tokens_n: 1,
      tokens_sum: 400,
      tokens_sq_sum: 160_000,
    });
  });

  it("does not count a completed run with an error as a success", () => {
    const stats = addToAggregates(emptyAggregates(), { succeeded: true, had_error: true });
    expect(stats.success_count).toBe(0);
    expect(stats.error_count).toBe(1);
  });

  it("leaves missing or invalid measurements out instead of counting them as 0", () => {
    const stats = aggregate([
      { succeeded: true, had_error: false, duration_seconds: null, tokens: Number.NaN, retry_count: null },
      { succeeded: true, had_error: false, duration_seconds: -5, tokens: undefined },
    ]);
    expect(stats).toMatchObject({
      occurrence_count: 2,
      retry_sum: 0,
      duration_n: 0,
      tokens_n: 0,
      tokens_sum: 0,
    });
  });

  it("gives the same aggregates in any order", () => {
    const observations = [
      { succeeded: true, had_error: false, duration_seconds: 10, tokens: 100 },
      { succeeded: false, had_error: true, retry_count: 3, duration_seconds: 20 },
      { succeeded: true, had_error: false, tokens: 300 },
    ];
    expect(aggregate([...observations].reverse())).toEqual(aggregate(observations));
  });
});
