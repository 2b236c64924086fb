import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractCharacteristics } from "./characteristics.js";
import {
  addOccurrence,
  addOccurrences,
  emptyPatternState,
  historySpanDays,
  monthlySavings,
  type OccurrenceObservation,
  publishStatistics,
} from "./pattern-statistics.js";
import { parseToolCostShare, savingsFigures } from "./savings-model.js";

const occurrence = (overrides: Partial<OccurrenceObservation> = {}): OccurrenceObservation => ({
  tokens: 1000,
  cost: 0.02,
  duration_seconds: 120,
  succeeded: true,
  had_error: false,
  retry_count: 0,
  workflow_time: "2026-01-10T00:00:00Z",
  characteristics: extractCharacteristics({ nl_input: "Run the backend tests with pytest" }),
  ...overrides,
});

describe("pattern statistics", () => {
  it("publishes means over the occurrences that had a figure and the tool cost as 5 %", () => {
    let state = emptyPatternState();
    state = addOccurrence(state, occurrence({ tokens: 1000, cost: 0.02 }));
    state = addOccurrence(
      state,
      occurrence({ tokens: 3000, cost: 0.06, workflow_time: "2026-01-01T00:00:00Z" }),
    );
    state = addOccurrence(
      state,
      occurrence({ tokens: null, cost: null, workflow_time: "2026-02-01T00:00:00Z" }),
    );
    const published = publishStatistics(state);
    expect(published.occurrence_count).toBe(3);
    expect(published.avg_tokens_with_llm).toBe(2000);
    expect(published.avg_cost_with_llm).toBeCloseTo(0.04, 12);
    expect(savingsFigures(published, 30)).toMatchObject({ avg_tokens_with_tool: 100 });
    expect(savingsFigures(published, 30).avg_cost_with_tool).toBeCloseTo(0.002, 12);
    expect(published.first_seen).toBe("2026-01-01T00:00:00Z");
    expect(published.last_seen).toBe("2026-02-01T00:00:00Z");
    expect(published.confidence_score).toBeGreaterThanOrEqual(30);
    expect(published.confidence_score).toBeLessThan(60);
    expect(published.typical_input_pattern).toContain("pytest");
  });

  it("derives the tool figures and monthly savings from the stated tool-cost share", () => {
    const basis = { avg_tokens_with_llm: 2000, avg_cost_with_llm: 0.1, occurrence_count: 10 };
    expect(savingsFigures(basis, 60).potential_monthly_savings).toBeCloseTo(0.475, 12);
    expect(savingsFigures(basis, 60, { toolCostShare: 0.2 }).potential_monthly_savings).toBeCloseTo(0.4, 12);
    expect(parseToolCostShare("0.1")).toBe(0.1);
    expect(parseToolCostShare("5%")).toMatch(/between 0 and 1/);
    expect(parseToolCostShare("1.5")).toMatch(/between 0 and 1/);
  });

  it("never extrapolates a history shorter than 30 days upward", () => {
    expect(monthlySavings(0.1, 0.005, 10, 3)).toBeCloseTo(0.95, 12);
    expect(monthlySavings(0.1, 0.005, 10, 60)).toBeCloseTo(0.475, 12);
    expect(historySpanDays("2026-01-01T00:00:00Z", "2026-03-02T00:00:00Z")).toBe(60);
    expect(historySpanDays(null, "2026-01-01")).toBe(0);
  });

  it("is a pure fold: the same occurrences in the same order give the same state", () => {
    const occurrences = [
      occurrence(),
      occurrence({ tokens: 77, cost: 0.1 / 3, duration_seconds: 999 }),
      occurrence({ succeeded: false, had_error: true }),
    ];
    const fold = () => occurrences.reduce(addOccurrence, emptyPatternState());
    expect(fold()).toEqual(fold());
  });

  it("folds a batch of occurrences into the state one by one would give, keyword ranking included", () => {
    // Few words, so that keywords come back after they fell out of the 30 kept, some of them numbers
    // (which an object lists first); a stored summary's counts may be out of rank (a hand-edited store).
    const words =
      "alpha beta gamma delta 2024 7 epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
    const word = fc.constantFrom(
      ...`${words} sigma tau upsilon phi chi psi omega one two three four five`.split(" "),
    );
    const observation = fc.record({
      words: fc.array(word, { maxLength: 12 }),
      tokens: fc.option(fc.integer({ min: 0, max: 10_000 })),
      cost: fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
      seconds: fc.option(fc.integer({ min: 0, max: 5000 })),
      day: fc.integer({ min: 1, max: 28 }),
      succeeded: fc.boolean(),
    });
    const stored = fc.dictionary(word, fc.integer({ min: 1, max: 9 }), { maxKeys: 40 });
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 60 }), stored, (drawn, counts) => {
        const occurrences = drawn.map((o) =>
          occurrence({
            tokens: o.tokens,
            cost: o.cost,
            duration_seconds: o.seconds,
            succeeded: o.succeeded,
            had_error: !o.succeeded,
            workflow_time: `2026-01-${String(o.day).padStart(2, "0")}T00:00:00Z`,
            characteristics: { ...extractCharacteristics({ nl_input: "x" }), keywords: o.words },
          }),
        );
        const start = emptyPatternState();
        start.summary.keyword_counts = counts;
        const batched = addOccurrences(start, occurrences);
        const oneByOne = occurrences.reduce(addOccurrence, start);
        expect(JSON.stringify(batched)).toBe(JSON.stringify(oneByOne));
      }),
    );
  });
});
