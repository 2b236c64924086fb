import { seededRandom } from "./seeded-random.js";

/**
 * What each run of a period cost one operation: `costs` for the runs that had a cost, and `runs` in all,
 * the others counting 0. Kept apart so that a long history's many runs without the operation cost nothing
 * to resample.
 */
export interface RunCosts {
  costs: readonly number[];
  runs: number;
}

/** A two-sided interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/** Options of {@link bootstrapMeanDifference}. */
export interface BootstrapOptions {
  /** Resamples drawn; default 2000. */
  resamples?: number;
  /** Seed of the resampling; the same seed gives the same interval. Default 1. */
  seed?: number;
  /** Coverage of the interval; default 0.95. */
  level?: number;
}

/** The mean cost per run before and after, their difference (before − after) and its intervals. */
export interface MeanDifference {
  before: number;
  after: number;
  /** `before − after`: positive when the operation costs less per run after. */
  difference: number;
  /** Percentile bootstrap interval of `difference`; null when a period has no runs. */
  interval: Interval | null;
  /** `difference / before`: the share of the per-run cost saved; null when `before` is 0. */
  relative: number | null;
  /** Percentile bootstrap interval of `relative`; null when it cannot be had. */
  relative_interval: Interval | null;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_LEVEL = 0.95;

/**
 * The difference of two periods' mean cost per run, with a percentile bootstrap interval: each period is
 * resampled with replacement on its own (its runs are independent draws), `resamples` times, from a seeded
 * generator, so the interval is deterministic.
 *
 * @example
 * bootstrapMeanDifference({ costs: [1, 1, 1], runs: 4 }, { costs: [1], runs: 4 }).difference; // 0.5
 */
export function bootstrapMeanDifference(
  before: RunCosts,
  after: RunCosts,
  options: BootstrapOptions = {},
): MeanDifference {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? DEFAULT_LEVEL;
  const beforeMean = meanOf(before);
  const afterMean = meanOf(after);
  const difference = beforeMean - afterMean;
  const relative = beforeMean > 0 ? difference / beforeMean : null;
  if (before.runs === 0 || after.runs === 0)
    return {
      before: beforeMean,
      after: afterMean,
      difference,
      interval: null,
      relative,
      relative_interval: null,
    };
  const random = seededRandom(options.seed ?? 1);
  const differences: number[] = [];
  const relatives: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const b = resampleMean(random, before);
    const a = resampleMean(random, after);
    differences.push(b - a);
    if (b > 0) relatives.push((b - a) / b);
  }
  return {
    before: beforeMean,
    after: afterMean,
    difference,
    interval: percentileInterval(differences, level),
    relative,
    relative_interval:
      relative === null || relatives.length === 0 ? null : percentileInterval(relatives, level),
  };
}

function meanOf(sample: RunCosts): number {
  if (sample.runs === 0) return 0;
  let sum = 0;
  for (const cost of sample.costs) sum += cost;
  return sum / sample.runs;
}

/**
 * The mean of one resample of `runs` runs. How many draws hit a run with a cost is found by geometric
 * skipping (the gaps between hits), so the work is proportional to the runs with a cost, not to all runs.
 */
function resampleMean(random: () => number, sample: RunCosts): number {
  const { costs, runs } = sample;
  if (runs === 0 || costs.length === 0) return 0;
  const p = costs.length / runs;
  let hits = 0;
  if (p >= 1) hits = runs;
  else {
    const logMiss = Math.log(1 - p);
    for (let position = -1; ; hits++) {
      position += 1 + Math.floor(Math.log(1 - random()) / logMiss);
      if (position >= runs) break;
    }
  }
  let sum = 0;
  for (let i = 0; i < hits; i++) sum += costs[Math.floor(random() * costs.length)] as number;
  return sum / runs;
}

/** The central `level` share of the values (linear interpolation between order statistics). */
export function percentileInterval(values: readonly number[], level: number): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail) };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (at - low);
}
