import { type CommandShape, shapeOfCommand } from "../shell/command-shape.js";
import { type CommandSummary, type OccurrenceEvidence, type Tally, UNKNOWN_PROJECT } from "./command-uses.js";
import { commandsOfEvidence, type EvidenceCommand } from "./evidence-commands.js";

const MAX_EXAMPLE = 200;

/**
 * What a pattern's occurrences add up to, counted so that more occurrences can be added later without
 * reading the earlier ones again: storage keeps it per pattern and folds new occurrences into it. Each
 * occurrence added is one run of the pattern, so a run count is a count of occurrences.
 */
export interface CommandTally {
  /** Occurrences added. */
  occurrences: number;
  /** Occurrences whose evidence names a command that ran. */
  runsWithCommands: number;
  /** Occurrences with a command that carried text the agent wrote. */
  freeTextRuns: number;
  /** Per command shape, in the order first seen. */
  shapes: Map<string, ShapeTally>;
}

/** One command shape's runs, calls and places, as {@link CommandTally} keeps them. */
export interface ShapeTally {
  runs: number;
  calls: number;
  freeText: boolean;
  /** The first command line of this shape added, as it ran (cut to 200 characters). */
  example: string;
  /** Runs per directory. */
  directories: Map<string, number>;
  /** Runs per project ({@link UNKNOWN_PROJECT} for runs whose record named none). */
  projects: Map<string, number>;
}

export function emptyCommandTally(): CommandTally {
  return { occurrences: 0, runsWithCommands: 0, freeTextRuns: 0, shapes: new Map() };
}

/**
 * Adds one occurrence (one run of the pattern) to a tally, in place. `shapes` caches the shape of each
 * command line seen, for callers that add many occurrences of few distinct commands.
 */
export function addToCommandTally(
  tally: CommandTally,
  occurrence: OccurrenceEvidence,
  shapes: Map<string, CommandShape> = new Map(),
): void {
  addCommandsToTally(tally, commandsOfEvidence(occurrence.evidence), occurrence.project, shapes);
}

/**
 * {@link addToCommandTally} of an occurrence whose evidence is parsed already (see `commandsOfEvidence`),
 * for a caller that reads the same evidence for something else too: parsing it is most of the cost.
 */
export function addCommandsToTally(
  tally: CommandTally,
  commands: readonly EvidenceCommand[],
  project: string | null,
  shapes: Map<string, CommandShape> = new Map(),
): void {
  const shapesOfRun = new Set<string>();
  const directoriesOfRun = new Set<string>();
  let freeText = false;
  for (const { command } of commands) {
    let shape = shapes.get(command);
    if (shape === undefined) {
      shape = shapeOfCommand(command);
      shapes.set(command, shape);
    }
    if (shape.shape === "") continue;
    let use = tally.shapes.get(shape.shape);
    if (use === undefined) {
      use = {
        runs: 0,
        calls: 0,
        freeText: false,
        example: command.length > MAX_EXAMPLE ? `${command.slice(0, MAX_EXAMPLE - 1)}…` : command,
        directories: new Map(),
        projects: new Map(),
      };
      tally.shapes.set(shape.shape, use);
    }
    use.calls += 1;
    use.freeText ||= shape.freeText;
    freeText ||= shape.freeText;
    if (!shapesOfRun.has(shape.shape)) {
      shapesOfRun.add(shape.shape);
      use.runs += 1;
      increment(use.projects, project ?? UNKNOWN_PROJECT);
    }
    for (const directory of shape.directories) {
      const key = `${shape.shape}\u0000${directory}`;
      if (directoriesOfRun.has(key)) continue;
      directoriesOfRun.add(key);
      increment(use.directories, directory);
    }
  }
  tally.occurrences += 1;
  if (shapesOfRun.size > 0) tally.runsWithCommands += 1;
  if (freeText) tally.freeTextRuns += 1;
}

/**
 * The commands, most runs first (then most calls, then by shape), and the scriptability a tally gives.
 * `occurrenceCount` is the pattern's run count, when more runs than were added are known.
 */
export function summarizeCommandTally(
  tally: CommandTally,
  occurrenceCount: number = tally.occurrences,
): CommandSummary {
  const commands = [...tally.shapes.entries()]
    .map(([command, use]) => ({
      command,
      count: use.runs,
      calls: use.calls,
      free_text: use.freeText,
      directories: tallies(use.directories),
      projects: tallies(use.projects),
      example: use.example,
    }))
    .sort((a, b) => b.count - a.count || b.calls - a.calls || compare(a.command, b.command));
  const top = commands[0];
  const runs = Math.max(occurrenceCount, tally.runsWithCommands);
  const topShare = top === undefined || runs === 0 ? 0 : top.count / runs;
  const freeTextShare = tally.runsWithCommands === 0 ? null : tally.freeTextRuns / tally.runsWithCommands;
  return {
    commands,
    scriptability: {
      occurrences: occurrenceCount,
      runs_with_commands: tally.runsWithCommands,
      distinct_commands: commands.length,
      top_command: top?.command ?? null,
      top_command_share: topShare,
      free_text_share: freeTextShare,
      scriptability: freeTextShare === null ? 0 : topShare * (1 - freeTextShare),
    },
  };
}

/** A tally as JSON text, for storage; {@link parseCommandTally} reads it back. */
export function stringifyCommandTally(tally: CommandTally): string {
  return JSON.stringify({
    occurrences: tally.occurrences,
    runs_with_commands: tally.runsWithCommands,
    free_text_runs: tally.freeTextRuns,
    shapes: [...tally.shapes].map(([shape, use]) => [
      shape,
      use.runs,
      use.calls,
      use.freeText,
      use.example,
      [...use.directories],
      [...use.projects],
    ]),
  });
}

type StoredShape = [string, number, number, boolean, string, [string, number][], [string, number][]];

/** The tally {@link stringifyCommandTally} wrote. */
export function parseCommandTally(text: string): CommandTally {
  const stored = JSON.parse(text) as {
    occurrences: number;
    runs_with_commands: number;
    free_text_runs: number;
    shapes: StoredShape[];
  };
  return {
    occurrences: stored.occurrences,
    runsWithCommands: stored.runs_with_commands,
    freeTextRuns: stored.free_text_runs,
    shapes: new Map(
      stored.shapes.map(([shape, runs, calls, freeText, example, directories, projects]) => [
        shape,
        { runs, calls, freeText, example, directories: new Map(directories), projects: new Map(projects) },
      ]),
    ),
  };
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function tallies(map: Map<string, number>): Tally[] {
  return [...map.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || compare(a.name, b.name));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The command shapes that performed a pattern over its occurrences, most runs first (then most calls, then
 * by shape), with the directories and projects of those runs, and the pattern's {@link Scriptability}.
 * `occurrences` is the pattern's run count, which may exceed the occurrences given when only some are read.
 * Each occurrence is one run of the pattern (storage keeps one per pattern and run).
 */
export function summarizeCommands(
  occurrences: readonly OccurrenceEvidence[],
  occurrenceCount: number = occurrences.length,
): CommandSummary {
  const tally = emptyCommandTally();
  const shapes = new Map<string, CommandShape>();
  for (const occurrence of occurrences) addToCommandTally(tally, occurrence, shapes);
  return summarizeCommandTally(tally, occurrenceCount);
}
