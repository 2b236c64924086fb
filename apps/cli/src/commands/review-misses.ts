import type { CandidateThresholds, PatternMisses, ThresholdMiss } from "@patternloop/validator";
import { count, percent, usd } from "../output/format.js";
import { renderTable } from "../output/table.js";

/** Detected patterns listed under the candidates. */
export const NEAREST = 5;

/** The detected patterns nearest to promotion, each with the thresholds it misses, and the thresholds used. */
export function describeMisses(rows: readonly PatternMisses[], thresholds: CandidateThresholds): string {
  return [
    `Nearest to promotion (thresholds: ${describeThresholds(thresholds)})`,
    renderTable(
      [
        { header: "pattern", value: (row: PatternMisses) => row.pattern_signature },
        {
          header: "misses",
          value: (row) =>
            row.misses.length === 0
              ? "none: promoted at the next backfill or completed run"
              : row.misses.map(describeMiss).join("; "),
        },
      ],
      rows,
    ),
  ].join("\n");
}

function describeThresholds(t: CandidateThresholds): string {
  return (
    `runs ≥ ${count(t.minOccurrences)}, confidence ≥ ${t.minConfidence}, savings ≥ ${usd(t.minMonthlySavings)}/month, ` +
    `accuracy ≥ ${percent(t.minPredictionAccuracy)}, validated predictions ≥ ${count(t.minValidatedPredictions)}`
  );
}

function describeMiss(miss: ThresholdMiss): string {
  switch (miss.threshold) {
    case "minOccurrences":
      return `runs ${count(miss.actual ?? 0)} < ${count(miss.needed)}`;
    case "minConfidence":
      return `confidence ${(miss.actual ?? 0).toFixed(1)} < ${miss.needed}`;
    case "minMonthlySavings":
      return `savings ${usd(miss.actual ?? 0)}/month < ${usd(miss.needed)}`;
    case "minPredictionAccuracy":
      return miss.actual === null
        ? "accuracy unknown (no validated prediction)"
        : `accuracy ${percent(miss.actual)} < ${percent(miss.needed)}`;
    case "minValidatedPredictions":
      return `validated predictions ${count(miss.actual ?? 0)} < ${count(miss.needed)}`;
  }
}
