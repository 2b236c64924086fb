import type { CandidateThresholds, PatternReviewFigures } from "@patternloop/db";

/** The five thresholds a detected pattern must all meet to become a candidate, without the savings model. */
export type ThresholdSettings = Omit<CandidateThresholds, "savingsModel">;

/** The names of the thresholds, as a config file spells them. */
export const THRESHOLD_NAMES = [
  "minOccurrences",
  "minConfidence",
  "minMonthlySavings",
  "minPredictionAccuracy",
  "minValidatedPredictions",
] as const satisfies readonly (keyof ThresholdSettings)[];

/** The largest value each threshold accepts (confidence is 0–100, accuracy a share). */
const MAX: Record<keyof ThresholdSettings, number> = {
  minOccurrences: Number.MAX_SAFE_INTEGER,
  minConfidence: 100,
  minMonthlySavings: Number.MAX_SAFE_INTEGER,
  minPredictionAccuracy: 1,
  minValidatedPredictions: Number.MAX_SAFE_INTEGER,
};

/** Thresholds read from a config file's `candidateThresholds` object, or the problem with it. */
export type ParsedThresholds =
  | { ok: true; thresholds: Partial<ThresholdSettings> }
  | { ok: false; problem: string };

/**
 * Reads the thresholds a config file sets: an object whose keys are among {@link THRESHOLD_NAMES}, each a
 * number in its range. Unknown keys are refused, so a misspelt threshold is not silently ignored.
 */
export function parseThresholds(value: unknown): ParsedThresholds {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, problem: "candidateThresholds must be an object" };
  const thresholds: Partial<ThresholdSettings> = {};
  for (const [key, setting] of Object.entries(value)) {
    if (!(THRESHOLD_NAMES as readonly string[]).includes(key))
      return {
        ok: false,
        problem: `unknown threshold ${JSON.stringify(key)}: use ${THRESHOLD_NAMES.join(", ")}`,
      };
    const name = key as keyof ThresholdSettings;
    const problem = thresholdProblem(name, setting);
    if (problem !== undefined) return { ok: false, problem };
    thresholds[name] = setting as number;
  }
  return { ok: true, thresholds };
}

/** Why a value cannot be this threshold, or undefined when it can; `label` names it (a flag, a key). */
export function thresholdProblem(
  name: keyof ThresholdSettings,
  value: unknown,
  label: string = name,
): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX[name])
    return `${label} takes a number ${MAX[name] === Number.MAX_SAFE_INTEGER ? "≥ 0" : `from 0 to ${MAX[name]}`}, not ${JSON.stringify(value)}`;
  return undefined;
}

/** One threshold a pattern misses: what it needs and what the pattern has. */
export interface ThresholdMiss {
  threshold: keyof ThresholdSettings;
  needed: number;
  actual: number | null;
}

/** The thresholds a pattern's figures miss, in {@link THRESHOLD_NAMES} order; none when it qualifies. */
export function thresholdMisses(
  figures: PatternReviewFigures,
  thresholds: ThresholdSettings,
): ThresholdMiss[] {
  const actual: Record<keyof ThresholdSettings, number | null> = {
    minOccurrences: figures.occurrence_count,
    minConfidence: figures.confidence_score,
    minMonthlySavings: figures.potential_monthly_savings,
    minPredictionAccuracy: figures.prediction_accuracy,
    minValidatedPredictions: figures.validated_count,
  };
  return THRESHOLD_NAMES.filter((name) => {
    const value = actual[name];
    return value === null || value < thresholds[name];
  }).map((name) => ({ threshold: name, needed: thresholds[name], actual: actual[name] }));
}
