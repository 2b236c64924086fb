import { shapeOfCommand } from "../shell/command-shape.js";

/** One occurrence of a pattern as storage keeps it: its run, the run's project, and its stored evidence. */
export interface OccurrenceEvidence {
  workflow_id: string;
  /** The project the run came from, when the run's record said (a repository, else a working directory). */
  project: string | null;
  /** The occurrence's evidence, as stored (JSON text of the detected pattern's evidence list). */
  evidence: string | null;
}

/** How often a count was seen: a directory or a project, with the runs it was seen in. */
export interface Tally {
  name: string;
  count: number;
}

/** One command shape that performed a pattern, with where it ran. */
export interface CommandUse {
  /** The shape of the command line (see `shapeOfCommand`): what a person would write into a script. */
  command: string;
  /** Runs that ran it. */
  count: number;
  /** Tool calls that ran it (a run may run it more than once). */
  calls: number;
  /** True when the command carries text the agent wrote (a commit message, a sentence, a here-document). */
  free_text: boolean;
  /** Directories it ran in, by runs, most first. */
  directories: Tally[];
  /** Projects it came from, by runs, most first; `(unknown)` for runs whose record named none. */
  projects: Tally[];
  /** One command line as it actually ran. */
  example: string;
}

/** A tool call a piece of evidence names: its shell command and its position in the run. */
export interface EvidenceCommand {
  command: string;
  tool_call_index: number | undefined;
}

export const UNKNOWN_PROJECT = "(unknown)";
const MAX_EXAMPLE = 200;

/**
 * The shell commands of the executed tool calls in stored evidence (source `tool_call`); evidence from the
 * request, the template or an error message names no command that ran. Malformed evidence gives nothing.
 */
export function commandsOfEvidence(evidence: string | null): EvidenceCommand[] {
  if (evidence === null) return [];
  let pieces: unknown;
  try {
    pieces = JSON.parse(evidence);
  } catch {
    return [];
  }
  if (!Array.isArray(pieces)) return [];
  const commands: EvidenceCommand[] = [];
  for (const piece of pieces) {
    if (piece === null || typeof piece !== "object") continue;
    const { source, text, tool_call_index: index } = piece as Record<string, unknown>;
    if (source !== "tool_call" || typeof text !== "string") continue;
    commands.push({ command: text, tool_call_index: typeof index === "number" ? index : undefined });
  }
  return commands;
}

/**
 * How a script could take over a pattern, from its occurrences. `top_command_share` is the share of the
 * pattern's runs that ran its most common command shape: the runs one script would have covered.
 * `free_text_share` is the share of the runs with a command whose command carried text the agent wrote
 * (a commit message): a script cannot write it. `scriptability` = top_command_share × (1 − free_text_share),
 * 0 to 1: 1 when every run ran the same command and no run needed the agent's words.
 */
export interface Scriptability {
  /** Runs of the pattern (its occurrences). */
  occurrences: number;
  /** Runs whose evidence names a command that ran (the others were seen only in the request or template). */
  runs_with_commands: number;
  /** Distinct command shapes. */
  distinct_commands: number;
  /** The most common command shape; null when no run names one. */
  top_command: string | null;
  /** Runs that ran the most common command shape ÷ runs of the pattern. */
  top_command_share: number;
  /** Runs whose command carried free text ÷ runs with a command; null without any. */
  free_text_share: number | null;
  /** `top_command_share × (1 − free_text_share)`; 0 without any command. */
  scriptability: number;
}

/** The commands of a pattern, most common first, and its scriptability. */
export interface CommandSummary {
  commands: CommandUse[];
  scriptability: Scriptability;
}

/**
 * The command shapes that performed a pattern over its occurrences, most runs first (then most calls, then
 * by shape), with the directories and projects of those runs, and the pattern's {@link Scriptability}.
 * `occurrences` is the pattern's run count, which may exceed the occurrences given when only some are read.
 */
export function summarizeCommands(
  occurrences: readonly OccurrenceEvidence[],
  occurrenceCount: number = occurrences.length,
): CommandSummary {
  const shapes = new Map<string, ReturnType<typeof shapeOfCommand>>();
  const uses = new Map<string, UseTally>();
  const runsWithCommands = new Set<string>();
  const freeTextRuns = new Set<string>();
  for (const occurrence of occurrences) {
    for (const { command } of commandsOfEvidence(occurrence.evidence)) {
      let shape = shapes.get(command);
      if (shape === undefined) {
        shape = shapeOfCommand(command);
        shapes.set(command, shape);
      }
      if (shape.shape === "") continue;
      let use = uses.get(shape.shape);
      if (use === undefined) {
        use = {
          runs: new Set(),
          calls: 0,
          freeText: false,
          directories: new Map(),
          projects: new Map(),
          example: command.length > MAX_EXAMPLE ? `${command.slice(0, MAX_EXAMPLE - 1)}…` : command,
        };
        uses.set(shape.shape, use);
      }
      use.runs.add(occurrence.workflow_id);
      use.calls += 1;
      use.freeText ||= shape.freeText;
      runsWithCommands.add(occurrence.workflow_id);
      if (shape.freeText) freeTextRuns.add(occurrence.workflow_id);
      for (const directory of shape.directories) addTo(use.directories, directory, occurrence.workflow_id);
      addTo(use.projects, occurrence.project ?? UNKNOWN_PROJECT, occurrence.workflow_id);
    }
  }
  const commands = [...uses.entries()]
    .map(([command, use]) => ({
      command,
      count: use.runs.size,
      calls: use.calls,
      free_text: use.freeText,
      directories: tallies(use.directories),
      projects: tallies(use.projects),
      example: use.example,
    }))
    .sort((a, b) => b.count - a.count || b.calls - a.calls || compare(a.command, b.command));
  const top = commands[0];
  const runs = Math.max(occurrenceCount, runsWithCommands.size);
  const topShare = top === undefined || runs === 0 ? 0 : top.count / runs;
  const freeTextShare = runsWithCommands.size === 0 ? null : freeTextRuns.size / runsWithCommands.size;
  return {
    commands,
    scriptability: {
      occurrences: occurrenceCount,
      runs_with_commands: runsWithCommands.size,
      distinct_commands: commands.length,
      top_command: top?.command ?? null,
      top_command_share: topShare,
      free_text_share: freeTextShare,
      scriptability: freeTextShare === null ? 0 : topShare * (1 - freeTextShare),
    },
  };
}

interface UseTally {
  runs: Set<string>;
  calls: number;
  freeText: boolean;
  directories: Map<string, Set<string>>;
  projects: Map<string, Set<string>>;
  example: string;
}

function addTo(map: Map<string, Set<string>>, key: string, run: string): void {
  let runs = map.get(key);
  if (runs === undefined) {
    runs = new Set();
    map.set(key, runs);
  }
  runs.add(run);
}

function tallies(map: Map<string, Set<string>>): Tally[] {
  return [...map.entries()]
    .map(([name, runs]) => ({ name, count: runs.size }))
    .sort((a, b) => b.count - a.count || compare(a.name, b.name));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
