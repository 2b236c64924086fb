import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { SavingsModel } from "@patternloop/core";
import {
  type CandidateThresholds,
  DEFAULT_CANDIDATE_THRESHOLDS,
  parseThresholds,
  type ThresholdSettings,
  thresholdProblem,
} from "@patternloop/validator";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";

/** The project's config file, read from the current directory when it exists. */
export const CONFIG_FILE = "patternloop.config.json";

export interface ThresholdOptions {
  minRuns?: number;
  minConfidence?: number;
  minMonthlySavings?: number;
  minAccuracy?: number;
  minValidated?: number;
}

const FLAGS: { flag: string; key: keyof ThresholdOptions; name: keyof ThresholdSettings; what: string }[] = [
  { flag: "--min-runs <n>", key: "minRuns", name: "minOccurrences", what: "runs the pattern occurred in" },
  { flag: "--min-confidence <n>", key: "minConfidence", name: "minConfidence", what: "confidence (0–100)" },
  {
    flag: "--min-monthly-savings <usd>",
    key: "minMonthlySavings",
    name: "minMonthlySavings",
    what: "potential savings in USD a month",
  },
  {
    flag: "--min-accuracy <share>",
    key: "minAccuracy",
    name: "minPredictionAccuracy",
    what: "prediction accuracy (0–1)",
  },
  {
    flag: "--min-validated <n>",
    key: "minValidated",
    name: "minValidatedPredictions",
    what: "validated predictions",
  },
];

/** Adds a flag per promotion threshold; each overrides the config file, which overrides the default. */
export function withThresholdOptions(command: Command): Command {
  for (const { flag, name, what } of FLAGS)
    command.option(
      flag,
      `candidate threshold: least ${what} (default ${DEFAULT_CANDIDATE_THRESHOLDS[name]}, or ${CONFIG_FILE})`,
      (value: string) => thresholdValue(name, value, flag.split(" ")[0] as string),
    );
  return command;
}

/**
 * The promotion thresholds of a command: its flags, else the `candidateThresholds` of `patternloop.config.json`
 * in the current directory, else the defaults; monthly savings weighed under the given savings model.
 */
export function candidateThresholdsOf(
  options: ThresholdOptions,
  savingsModel: SavingsModel,
): CandidateThresholds {
  const thresholds: ThresholdSettings = { ...DEFAULT_CANDIDATE_THRESHOLDS, ...configuredThresholds() };
  for (const { key, name } of FLAGS) {
    const value = options[key];
    if (value !== undefined) thresholds[name] = value;
  }
  return { ...thresholds, savingsModel };
}

function configuredThresholds(): Partial<ThresholdSettings> {
  const path = resolve(CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`${CONFIG_FILE}: cannot be read (${(error as Error).message})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new CliError(`${CONFIG_FILE}: not valid JSON`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new CliError(`${CONFIG_FILE}: must hold a JSON object`);
  const section = (config as Record<string, unknown>).candidateThresholds;
  if (section === undefined) return {};
  const parsed = parseThresholds(section);
  if (!parsed.ok) throw new CliError(`${CONFIG_FILE}: ${parsed.problem}`);
  return parsed.thresholds;
}

function thresholdValue(name: keyof ThresholdSettings, text: string, flag: string): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  // The text itself is shown when it is not a number at all.
  const problem = thresholdProblem(name, Number.isFinite(value) ? value : text, flag);
  if (problem !== undefined) throw new CliError(problem);
  return value;
}
