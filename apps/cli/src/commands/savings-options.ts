import { DEFAULT_SAVINGS_MODEL, parseToolCostShare, type SavingsModel } from "@patternloop/core";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";

export interface SavingsOptions {
  toolCostShare?: number;
}

/** The environment variable that sets the tool-cost share for every command (a server's, a CI job's). */
export const TOOL_COST_SHARE_VARIABLE = "PATTERNLOOP_TOOL_COST_SHARE";

/** Adds `--tool-cost-share`: what a script is assumed to cost, as a share of the LLM cost. */
export const withSavingsOptions = (command: Command) =>
  command.option(
    "--tool-cost-share <share>",
    `what a script is assumed to cost, as a share of the LLM cost per use (default ${DEFAULT_SAVINGS_MODEL.toolCostShare}, or $${TOOL_COST_SHARE_VARIABLE})`,
    (value: string) => shareOf(value, "--tool-cost-share"),
  );

/** The savings model of a command: its option, else the environment variable, else the default. */
export function savingsModelOf(options: SavingsOptions): SavingsModel {
  if (options.toolCostShare !== undefined) return { toolCostShare: options.toolCostShare };
  const configured = process.env[TOOL_COST_SHARE_VARIABLE];
  if (configured === undefined || configured === "") return DEFAULT_SAVINGS_MODEL;
  return { toolCostShare: shareOf(configured, TOOL_COST_SHARE_VARIABLE) };
}

function shareOf(value: string, name: string): number {
  const share = parseToolCostShare(value);
  if (typeof share === "string") throw new CliError(`${name}: ${share}`);
  return share;
}
