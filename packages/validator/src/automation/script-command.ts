import { type CommandUse, type Tally, tokenizeShell } from "@patternloop/core";

/** The command a script runs for a pattern, ready to write into a shell script. */
export interface ScriptCommand {
  /** The command shape it came from (see `shapeOfCommand`). */
  shape: string;
  /** The shell text the script runs; the shape's `<paths>` became `"$@"`, the script's arguments. */
  shell: string;
  /** Where it ran, as recorded (`cd DIR`), by runs, most first. */
  directories: Tally[];
  /** The words a raw command starts with when it does the same thing (for the steering hook). */
  leadingWords: string[];
  /** Runs that ran it. */
  runs: number;
  /** Whether the script passes its arguments (file paths) on to the command. */
  takesArguments: boolean;
}

/** Placeholders a script cannot fill in by itself: they change from run to run and the agent chose them. */
const UNFILLABLE = /<(?:message|text|url|rev|n)>/;
const PATHS = "__patternloop_paths__";
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The most common command of a pattern a script can run unchanged: not one carrying the agent's own text
 * (a commit message), nor one whose shape still needs a value only the agent knows (`<n>`, `<rev>`, `<url>`)
 * or a command substitution. File paths are what the script's caller passes (`"$@"`, nothing = the
 * command's default). Undefined when the pattern has none.
 */
export function chooseScriptCommand(commands: readonly CommandUse[]): ScriptCommand | undefined {
  for (const use of commands) {
    if (use.free_text || UNFILLABLE.test(use.command) || /\$\(|`/.test(use.command)) continue;
    // `<` would read as a redirection: the placeholder becomes a plain word before the line is split.
    const segments = tokenizeShell(use.command.replaceAll("<paths>", PATHS));
    const paths = segments.flatMap((segment) => segment.words).filter((word) => word === PATHS);
    if (paths.length > 1 || segments.length === 0) continue;
    const shell = segments
      .map((segment) => {
        const words = segment.words.map((word) => (word === PATHS ? '"$@"' : quote(word))).join(" ");
        return segment.joinedBy === "" ? words : `${joiner(segment.joinedBy)}${words}`;
      })
      .join("");
    // A lone command takes paths at its end (`node --test a.test.js`); a chain only where its shape had them.
    const takesArguments = paths.length === 1 || segments.length === 1;
    const first = segments[0]?.words ?? [];
    const placeholder = first.indexOf(PATHS);
    return {
      shape: use.command,
      shell: paths.length === 0 && takesArguments ? `${shell} "$@"` : shell,
      directories: use.directories,
      leadingWords: placeholder === -1 ? first : first.slice(0, placeholder),
      runs: use.count,
      takesArguments,
    };
  }
  return undefined;
}

function quote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function joiner(operator: string): string {
  if (operator === "\n" || operator === ";") return "; ";
  return ` ${operator} `;
}
