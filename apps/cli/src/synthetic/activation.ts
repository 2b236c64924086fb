import { detectPatterns, type IdentifiedWorkflowRecord } from "@patternloop/core";
import { createRandom, mix32 } from "./random.js";
import type { SyntheticToolCall } from "./tool-calls.js";

/** The parts of a generated run an activation reads and rewrites. */
type ActivatedRun = IdentifiedWorkflowRecord & { start_time: string; tool_calls: SyntheticToolCall[] };

/**
 * An automation put in use during the history: from `at` on, in a share `effect` of the runs that perform
 * the operation `signature`, the agent runs the script at `script_path` instead of the raw command.
 */
export interface SyntheticActivation {
  signature: string;
  /** ISO time of the activation. */
  at: string;
  /** Share of the runs needing the operation that run the script instead, 0 to 1. */
  effect: number;
  /** The script's path as the agent's command names it. */
  script_path: string;
}

/** Where a generated history's script lives when none is given: where a skill for the pattern would sit. */
export function defaultScriptPath(signature: string): string {
  return `.claude/skills/${signature.replace(/[^a-z0-9]+/gi, "-")}/run.sh`;
}

/**
 * Applies an activation to run `n`: a run from the activation on whose tool calls perform the operation
 * swaps each of those calls for one call of the script, with probability `effect`. The draw has its own
 * seeded stream, so every other field of the history stays exactly what it would be without the activation.
 * Nothing is then attributed to the operation in the swapped runs; their totals stay as drawn.
 */
export function applyActivation<Run extends ActivatedRun>(
  run: Run,
  n: number,
  seed: number,
  activation: SyntheticActivation,
): Run {
  if (Date.parse(run.start_time) < Date.parse(activation.at)) return run;
  const pattern = detectPatterns(run).find((found) => found.signature === activation.signature);
  if (pattern === undefined || pattern.tool_call_indices.length === 0) return run;
  const random = createRandom(mix32((mix32(seed ^ 0x2c1b3c6d) + Math.imul(n, 0x85ebca6b)) >>> 0));
  if (!random.chance(activation.effect)) return run;
  const swapped = new Set(pattern.tool_call_indices);
  return {
    ...run,
    tool_calls: run.tool_calls.map((call, index) =>
      swapped.has(index)
        ? { ...call, tool_name: "Bash", tool_input: { command: `bash ${activation.script_path}` } }
        : call,
    ),
  };
}
