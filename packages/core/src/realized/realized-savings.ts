import { commandsOfEvidence } from "../scriptability/command-uses.js";
import { type BootstrapOptions, bootstrapMeanDifference, type Interval } from "./bootstrap.js";

/** One stored occurrence of the pattern: its run, the cost attributed to it, and its evidence as stored. */
export interface OccurrenceCost {
  workflow_id: string;
  /** USD; null when the run gave no cost evidence (it then counts 0 for the run). */
  cost: number | null;
  evidence: string | null;
}

/** A period's runs as storage keeps them: how many runs, the pattern's occurrences, and the script's runs. */
export interface PeriodRuns {
  /** Runs of the period whose patterns were recorded, with or without the pattern. */
  runs: number;
  occurrences: readonly OccurrenceCost[];
  /** Runs of the period with a Bash call that invokes the script. */
  script_runs: readonly string[];
}

/** What the agent did in one period and what the operation cost there. */
export interface PeriodFigures {
  runs: number;
  /** Runs that ran the pattern's raw command (a detected tool call that does not invoke the script). */
  raw_runs: number;
  /** Runs that invoked the script. */
  script_runs: number;
  /** `script_runs` ÷ runs that ran either; null when none did. */
  script_share: number | null;
  /** Mean cost attributed to the operation in the runs that ran the raw command and had a cost; null without any. */
  cost_per_use: number | null;
  /** Cost attributed to the operation ÷ all runs of the period (runs without it count 0). */
  cost_per_run: number;
}

/** `saving` only when the interval excludes zero and there were enough runs; noise is never a saving. */
export type RealizedVerdict = "saving" | "no_saving_shown" | "cost_rose" | "not_enough_runs";

export interface RealizedSavings {
  before: PeriodFigures;
  after: PeriodFigures;
  /** Cost per run before − after, USD: positive when the operation costs less per run since activation. */
  saving_per_run: number;
  interval: Interval | null;
  /** `saving_per_run` ÷ cost per run before; null when nothing was spent before. */
  relative_saving: number | null;
  relative_interval: Interval | null;
  verdict: RealizedVerdict;
  /** One sentence saying why the verdict is what it is. */
  reason: string;
}

/**
 * The rule for "not enough runs yet": each period needs {@link MIN_RUNS} runs and the period before needs
 * {@link MIN_USES} runs with a cost for the operation, and the interval of the saving must be narrower than
 * the cost per run before (a relative interval wider than 100 points says nothing about the effect).
 */
export const MIN_RUNS = 20;
export const MIN_USES = 5;

/** True when a shell command invokes the script: the script's path appears in it. */
export function invokesScript(command: string, scriptPath: string): boolean {
  return scriptPath !== "" && command.includes(scriptPath);
}

/**
 * Compares the runs after a pattern's activation with the runs before: how often the raw command and the
 * script ran, the cost per use and per run, and the saving per run with a bootstrap interval and a verdict.
 */
export function assessRealizedSavings(
  scriptPath: string | null,
  before: PeriodRuns,
  after: PeriodRuns,
  options: BootstrapOptions = {},
): RealizedSavings {
  const beforeFigures = figuresOf(scriptPath, before);
  const afterFigures = figuresOf(scriptPath, after);
  const difference = bootstrapMeanDifference(runCostsOf(before), runCostsOf(after), options);
  const base = {
    before: beforeFigures,
    after: afterFigures,
    saving_per_run: difference.difference,
    interval: difference.interval,
    relative_saving: difference.relative,
    relative_interval: difference.relative_interval,
  };
  const uses = before.occurrences.filter((occurrence) => (occurrence.cost ?? 0) > 0).length;
  const interval = difference.interval;
  if (before.runs < MIN_RUNS || after.runs < MIN_RUNS)
    return {
      ...base,
      verdict: "not_enough_runs",
      reason: `fewer than ${MIN_RUNS} runs on one side of the activation`,
    };
  if (uses < MIN_USES)
    return {
      ...base,
      verdict: "not_enough_runs",
      reason: `fewer than ${MIN_USES} runs with a cost for the operation before the activation`,
    };
  if (interval === null || interval.upper - interval.lower > difference.before)
    return {
      ...base,
      verdict: "not_enough_runs",
      reason: "the interval is wider than the cost per run before",
    };
  if (interval.lower > 0)
    return { ...base, verdict: "saving", reason: "the interval of the saving excludes zero" };
  if (interval.upper < 0)
    return { ...base, verdict: "cost_rose", reason: "the operation costs more per run since the activation" };
  return { ...base, verdict: "no_saving_shown", reason: "the interval of the saving includes zero" };
}

function runCostsOf(period: PeriodRuns) {
  const costs: number[] = [];
  for (const occurrence of period.occurrences)
    if (occurrence.cost !== null && occurrence.cost > 0) costs.push(occurrence.cost);
  return { costs, runs: period.runs };
}

function figuresOf(scriptPath: string | null, period: PeriodRuns): PeriodFigures {
  const raw = period.occurrences.filter((occurrence) =>
    commandsOfEvidence(occurrence.evidence).some(
      ({ command }) => scriptPath === null || !invokesScript(command, scriptPath),
    ),
  );
  const rawRuns = new Set(raw.map((occurrence) => occurrence.workflow_id));
  const scriptRuns = new Set(period.script_runs);
  const either = new Set([...rawRuns, ...scriptRuns]).size;
  const priced = raw.filter((occurrence) => occurrence.cost !== null);
  let total = 0;
  for (const occurrence of period.occurrences) total += occurrence.cost ?? 0;
  return {
    runs: period.runs,
    raw_runs: rawRuns.size,
    script_runs: scriptRuns.size,
    script_share: either === 0 ? null : scriptRuns.size / either,
    cost_per_use:
      priced.length === 0
        ? null
        : priced.reduce((sum, occurrence) => sum + (occurrence.cost ?? 0), 0) / priced.length,
    cost_per_run: period.runs === 0 ? 0 : total / period.runs,
  };
}
