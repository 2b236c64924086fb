/**
 * What a store keeps per pattern so that the confidence score costs O(1) per new occurrence (§4):
 * counts, and sums and sums of squares from which mean and spread follow.
 */
export interface PatternAggregates {
  occurrence_count: number;
  /** Occurrences in runs that completed without an error. */
  success_count: number;
  error_count: number;
  retry_sum: number;
  /** How many occurrences had a known duration; the two sums are over those. */
  duration_n: number;
  duration_sum: number;
  duration_sq_sum: number;
  tokens_n: number;
  tokens_sum: number;
  tokens_sq_sum: number;
}

/** One occurrence, as folded into {@link PatternAggregates}. */
export interface PatternObservation {
  /** The run completed. */
  succeeded: boolean;
  had_error: boolean;
  retry_count?: number | null;
  duration_seconds?: number | null;
  tokens?: number | null;
}

export type ConfidenceTier = "new" | "emerging" | "established";

interface TierBand {
  floor: number;
  /** Highest score of the band: one decimal below the next tier, so that rounding never crosses it. */
  ceiling: number;
  /** Where `count` sits in the tier, 0 at its first count, approaching 1 at its end. */
  progress: (count: number) => number;
}

const BANDS: Record<ConfidenceTier, TierBand> = {
  new: { floor: 1, ceiling: 29.9, progress: (count) => (count - 1) / 2 },
  emerging: { floor: 30, ceiling: 59.9, progress: (count) => (count - 3) / 7 },
  // Unbounded tier: reaches half its range at 30 occurrences and creeps towards 100 after.
  established: { floor: 60, ceiling: 100, progress: (count) => (count - 10) / (count - 10 + 20) },
};

// Within a band, how much comes from the number of occurrences and how much from their quality.
const COUNT_WEIGHT = 0.4;
const QUALITY_WEIGHT = 0.6;
// Success dominates quality; consistency matters but a volatile operation can still be worth scripting.
const SUCCESS_WEIGHT = 0.4;
const ERROR_FREE_WEIGHT = 0.15;
const RETRY_WEIGHT = 0.15;
const CONSISTENCY_WEIGHT = 0.3;
/** Consistency when spread cannot be measured (fewer than two values): neither rewarded nor punished. */
const NEUTRAL_CONSISTENCY = 0.5;

/** The documented tier of a pattern seen `count` times: below 3 "new", below 10 "emerging". */
export function confidenceTier(count: number): ConfidenceTier {
  if (count >= 10) return "established";
  if (count >= 3) return "emerging";
  return "new";
}

/** Aggregates of a pattern with no occurrence yet. */
export function emptyAggregates(): PatternAggregates {
  return {
    occurrence_count: 0,
    success_count: 0,
    error_count: 0,
    retry_sum: 0,
    duration_n: 0,
    duration_sum: 0,
    duration_sq_sum: 0,
    tokens_n: 0,
    tokens_sum: 0,
    tokens_sq_sum: 0,
  };
}

/**
 * Folds one occurrence into the aggregates and returns new ones (the input is not changed). A missing,
 * negative or non-finite duration or token count is left out of that measure rather than counted as 0.
 */
export function addToAggregates(
  aggregates: PatternAggregates,
  observation: PatternObservation,
): PatternAggregates {
  const duration = measurement(observation.duration_seconds);
  const tokens = measurement(observation.tokens);
  return {
    occurrence_count: aggregates.occurrence_count + 1,
    success_count: aggregates.success_count + (observation.succeeded && !observation.had_error ? 1 : 0),
    error_count: aggregates.error_count + (observation.had_error ? 1 : 0),
    retry_sum: aggregates.retry_sum + (measurement(observation.retry_count) ?? 0),
    duration_n: aggregates.duration_n + (duration === undefined ? 0 : 1),
    duration_sum: aggregates.duration_sum + (duration ?? 0),
    duration_sq_sum: aggregates.duration_sq_sum + (duration ?? 0) ** 2,
    tokens_n: aggregates.tokens_n + (tokens === undefined ? 0 : 1),
    tokens_sum: aggregates.tokens_sum + (tokens ?? 0),
    tokens_sq_sum: aggregates.tokens_sq_sum + (tokens ?? 0) ** 2,
  };
}

/**
 * Confidence 0–100 (one decimal) that a pattern is real and repeatable (§4). The occurrence count picks
 * the tier: 1–2 → below 30, 3–9 → 30 to below 60, 10 or more → 60–100, none → 0. Within its tier a pattern
 * scores higher with more occurrences, more successful runs (completed, no error, few retries) and a lower
 * spread (coefficient of variation) of duration and tokens; none of these can move it out of its tier.
 *
 * @example confidenceScore(addToAggregates(emptyAggregates(), { succeeded: true, had_error: false })) // < 30
 */
export function confidenceScore(stats: PatternAggregates): number {
  const count = Math.floor(nonNegative(stats.occurrence_count));
  if (count === 0) return 0;
  const band = BANDS[confidenceTier(count)];
  const position = COUNT_WEIGHT * Math.min(1, band.progress(count)) + QUALITY_WEIGHT * quality(stats, count);
  const score = band.floor + (band.ceiling - band.floor) * position;
  return Math.min(band.ceiling, Math.round(score * 10) / 10);
}

/** 0–1 from success, errors, retries and consistency; rates are clamped so inconsistent sums stay in range. */
function quality(stats: PatternAggregates, count: number): number {
  const successRate = Math.min(1, nonNegative(stats.success_count) / count);
  const errorFree = 1 - Math.min(1, nonNegative(stats.error_count) / count);
  const retryScore = 1 / (1 + nonNegative(stats.retry_sum) / count);
  const consistency =
    (spreadConsistency(stats.duration_n, stats.duration_sum, stats.duration_sq_sum) +
      spreadConsistency(stats.tokens_n, stats.tokens_sum, stats.tokens_sq_sum)) /
    2;
  return (
    SUCCESS_WEIGHT * successRate +
    ERROR_FREE_WEIGHT * errorFree +
    RETRY_WEIGHT * retryScore +
    CONSISTENCY_WEIGHT * consistency
  );
}

/** 1 / (1 + coefficient of variation): 1 for identical values, 0.5 when the spread equals the mean. */
function spreadConsistency(n: number, sum: number, squareSum: number): number {
  if (!(n >= 2) || !Number.isFinite(sum) || !Number.isFinite(squareSum)) return NEUTRAL_CONSISTENCY;
  const mean = sum / n;
  if (!(mean > 0)) return NEUTRAL_CONSISTENCY;
  // E[x²] − E[x]² can dip below 0 by rounding when every value is the same.
  const variance = Math.max(0, squareSum / n - mean * mean);
  return 1 / (1 + Math.sqrt(variance) / mean);
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function measurement(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
