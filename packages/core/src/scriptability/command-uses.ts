export { commandsOfEvidence, type EvidenceCommand } from "./evidence-commands.js";

/** One occurrence of a pattern as storage keeps it: its run, the run's project, and its stored evidence. */
export interface OccurrenceEvidence {
  workflow_id: string;
  /** The project the run came from, when the run's record said (a repository, else a working directory). */
  project: string | null;
  /** The occurrence's evidence, as stored (JSON text of the detected pattern's evidence list). */
  evidence: string | null;
}

export const UNKNOWN_PROJECT = "(unknown)";

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
