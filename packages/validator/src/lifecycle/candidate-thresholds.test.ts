import { describe, expect, it } from "vitest";
import { parseThresholds, thresholdMisses } from "./candidate-thresholds.js";
import { DEFAULT_CANDIDATE_THRESHOLDS } from "./promote-candidates.js";

describe("candidate thresholds", () => {
  it("reads the thresholds a config file sets and refuses unknown keys and values out of range", () => {
    expect(parseThresholds({ minOccurrences: 3, minPredictionAccuracy: 0.5 })).toEqual({
      ok: true,
      thresholds: { minOccurrences: 3, minPredictionAccuracy: 0.5 },
    });
    expect(parseThresholds({ minAccuracy: 0.5 })).toEqual({
      ok: false,
      problem:
        'unknown threshold "minAccuracy": use minOccurrences, minConfidence, minMonthlySavings, minPredictionAccuracy, minValidatedPredictions',
    });
    expect(parseThresholds({ minPredictionAccuracy: 80 })).toEqual({
      ok: false,
      problem: "minPredictionAccuracy takes a number from 0 to 1, not 80",
    });
    expect(parseThresholds({ minOccurrences: "10" })).toEqual({
      ok: false,
      problem: 'minOccurrences takes a number ≥ 0, not "10"',
    });
    expect(parseThresholds([1])).toEqual({ ok: false, problem: "candidateThresholds must be an object" });
  });

  it("names every threshold a pattern misses, with what it needs and what the pattern has", () => {
    const figures = {
      pattern_signature: "git:pull:summary",
      occurrence_count: 33,
      confidence_score: 88.7,
      potential_monthly_savings: 0.18,
      prediction_accuracy: null,
      validated_count: 0,
    };
    expect(thresholdMisses(figures, DEFAULT_CANDIDATE_THRESHOLDS)).toEqual([
      { threshold: "minMonthlySavings", needed: 0.25, actual: 0.18 },
      { threshold: "minPredictionAccuracy", needed: 0.4, actual: null },
      { threshold: "minValidatedPredictions", needed: 5, actual: 0 },
    ]);
    expect(
      thresholdMisses(
        { ...figures, potential_monthly_savings: 0.25, prediction_accuracy: 0.4, validated_count: 5 },
        DEFAULT_CANDIDATE_THRESHOLDS,
      ),
    ).toEqual([]);
  });
});
