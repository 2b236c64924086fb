import { baseName, readShellCommands } from "./read-commands.js";
import { tokenizeShell } from "./tokenize-shell.js";

/** A shell command line reduced to what a person would write into a script. */
export interface CommandShape {
  /**
   * The line without what only the agent needed (see {@link shapeOfCommand}); `""` when nothing is left
   * (a line that only changed directory or printed a note).
   */
  shape: string;
  /** Directories the line ran in or pointed its tools at (`cd DIR`, `-C DIR`, `--prefix DIR`), in order. */
  directories: string[];
  /** True when the line carries text the agent wrote: a commit message, a sentence, inline code, a here-document. */
  freeText: boolean;
}

/** Placeholders of the shape; free text shows as `<message>` or `<text>`. */
export const SHAPE_PLACEHOLDERS = ["<paths>", "<message>", "<text>", "<url>", "<rev>", "<n>"] as const;

/** Programs the agent pipes output into only to read less of it (`| tail -50`, `| grep FAIL`). */
const OUTPUT_FILTERS = new Set([
  "head",
  "tail",
  "grep",
  "egrep",
  "rg",
  "less",
  "more",
  "cat",
  "wc",
  "sort",
  "uniq",
  "tee",
  "cut",
  "column",
  "tr",
  "nl",
]);
/** Segments that only narrate or wait: the agent's notes to itself, not work a script repeats. */
const NARRATION = new Set(["echo", "printf", "true", ":", "sleep", "clear", "set", "popd"]);
/** Version-control programs whose `-m` / `--title` / `--body` value is a message the agent wrote. */
const MESSAGE_PROGRAMS = new Set(["git", "gh", "glab", "hub", "hg", "jj", "svn"]);
const MESSAGE_OPTIONS = new Set(["-m", "-am", "--message", "--title", "--body", "--notes", "--subject"]);
const SHELLS = new Set(["bash", "sh", "zsh"]);
/** Interpreters whose first argument is the script they run: that script is the operation, not a detail. */
const INTERPRETERS = new Set([
  "python",
  "python3",
  "py",
  "node",
  "deno",
  "bun",
  "tsx",
  "ts-node",
  "ruby",
  "perl",
  "php",
  "bash",
  "sh",
  "zsh",
]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const HEREDOC = /<<-?\s*(['"]?)[A-Za-z_][\w-]*\1/;
const MAX_NESTING = 3;

/**
 * Reduces a shell command line to its shape: the command a person would put in a script, so that runs
 * doing the same thing with other files or another message count as one command.
 *
 * - `cd DIR` (and `pushd`) is dropped; the directory is reported in `directories` instead.
 * - Output plumbing is dropped: redirections (`2>&1`, `> log`), pipes into a filter (`| tail -50`,
 *   `| grep x`), and narration (`echo "---"`, `sleep 2`, `|| true`).
 * - Arguments that change from run to run become placeholders: file and directory paths (one or more in a
 *   row) `<paths>`, URLs `<url>`, commit hashes `<rev>`, counts `<n>` (`-20` → `-<n>`, `HEAD~3` → `HEAD~<n>`).
 * - Text the agent wrote becomes `<message>` (the value of `-m`, `--message`, `--title`, `--body` of git and
 *   gh) or `<text>` (any argument with a space or a line break: a sentence, `python -c` code), and marks the
 *   line `freeText`, as does a here-document. Such a line needs the agent to write its text each time.
 * - `bash -c "…"` is read as the script it runs; wrappers the line names (`uv run`, `npx`, `timeout 60`) stay,
 *   being part of the command; a program given by absolute path keeps only its name.
 *
 * @example shapeOfCommand("cd app/server && uv run pytest -q tests/test_a.py 2>&1 | tail -30")
 * // { shape: "uv run pytest -q <paths>", directories: ["app/server"], freeText: false }
 * @example shapeOfCommand('git add -A && git commit -m "Fix the login form"')
 * // { shape: "git add -A && git commit -m <message>", directories: [], freeText: true }
 */
export function shapeOfCommand(command: string): CommandShape {
  const directories = unique(readShellCommands(command).flatMap((simple) => simple.dirs));
  const { shape, freeText } = shapeOfLine(command, 0);
  return { shape, directories, freeText: freeText || HEREDOC.test(command) };
}

function shapeOfLine(command: string, depth: number): { shape: string; freeText: boolean } {
  let shape = "";
  let freeText = false;
  for (const segment of tokenizeShell(command)) {
    const words = segment.words;
    const first = firstProgram(words);
    if (first === undefined) continue;
    const program = baseName(words[first] as string);
    if (program === "cd" || program === "pushd" || NARRATION.has(program)) continue;
    if (segment.joinedBy === "|" && OUTPUT_FILTERS.has(program) && shape !== "") continue;
    let text: string;
    const script = SHELLS.has(program) ? inlineScript(words.slice(first + 1)) : undefined;
    if (script !== undefined && depth < MAX_NESTING) {
      const inner = shapeOfLine(script, depth + 1);
      freeText ||= inner.freeText;
      text = inner.shape;
    } else {
      const shaped = shapeOfWords(words, first, MESSAGE_PROGRAMS.has(program));
      freeText ||= shaped.freeText;
      text = shaped.words.join(" ");
    }
    if (text === "") continue;
    shape = shape === "" ? text : `${shape}${operator(segment.joinedBy)}${text}`;
  }
  return { shape, freeText };
}

function shapeOfWords(
  words: string[],
  first: number,
  messages: boolean,
): { words: string[]; freeText: boolean } {
  const out: string[] = [];
  let freeText = false;
  // After an interpreter (`python3`, also behind `uv run`), its first argument names the script it runs.
  let scriptNext = false;
  const push = (word: string) => {
    if (word === "<paths>" && out[out.length - 1] === "<paths>") return;
    out.push(word);
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (i < first) {
      const assignment = ASSIGNMENT.exec(word);
      push(assignment === null ? word : `${assignment[1]}=${shapeOfArgument(assignment[2] ?? "").word}`);
      continue;
    }
    if (i === first) {
      push(/^(?:[/\\~]|[A-Za-z]:\\)/.test(word) ? baseName(word) : word);
      scriptNext = isInterpreter(word);
      continue;
    }
    if (scriptNext) {
      if (word === "-m" || word === "-c" || word === "-e" || word === "--eval") scriptNext = false;
      else if (!word.startsWith("-")) {
        scriptNext = false;
        // A script by absolute path is named by its file: the same script wherever the project sits.
        push(/^(?:[/\\~]|[A-Za-z]:\\)/.test(word) ? (word.split(/[/\\]/).pop() ?? word) : word);
        continue;
      }
    }
    if (isInterpreter(word)) scriptNext = true;
    const equals = word.indexOf("=");
    const option = word.startsWith("--") && equals > 0 ? word.slice(0, equals) : undefined;
    if (messages && (MESSAGE_OPTIONS.has(word) || (option !== undefined && MESSAGE_OPTIONS.has(option)))) {
      freeText = true;
      if (option !== undefined) {
        push(`${option}=<message>`);
      } else {
        push(word);
        if (i + 1 < words.length) push("<message>");
        i++;
      }
      continue;
    }
    if (option !== undefined) {
      const value = shapeOfArgument(word.slice(equals + 1));
      freeText ||= value.freeText;
      push(`${option}=${value.word}`);
      continue;
    }
    const argument = shapeOfArgument(word);
    freeText ||= argument.freeText;
    push(argument.word);
  }
  return { words: out, freeText };
}

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const REVISION = /^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}$/;
const FILE_NAME = /^[^-=][^=]*\.[A-Za-z0-9]{1,6}$/;

/** One argument's shape, and whether it is text the agent wrote. */
function shapeOfArgument(word: string): { word: string; freeText: boolean } {
  // A command substitution is kept as written, unless it spans lines (`"$(cat <<'EOF' …)"` is a message).
  if (word.includes("$("))
    return /\n/.test(word) ? { word: "<text>", freeText: true } : { word, freeText: false };
  if (/\s/.test(word)) return { word: "<text>", freeText: true };
  if (URL.test(word)) return { word: "<url>", freeText: false };
  if (REVISION.test(word)) return { word: "<rev>", freeText: false };
  if (/^\d+$/.test(word)) return { word: "<n>", freeText: false };
  if (/^-\d+$/.test(word)) return { word: "-<n>", freeText: false };
  const relative = /^(HEAD|@)([~^])\d+$/.exec(word);
  if (relative !== null) return { word: `${relative[1]}${relative[2]}<n>`, freeText: false };
  if (word.startsWith("-") || word.startsWith("@")) return { word, freeText: false };
  if (/[/\\*]/.test(word) || FILE_NAME.test(word)) return { word: "<paths>", freeText: false };
  return { word, freeText: false };
}

/** `python3.12`, `/usr/bin/node`, `bash`: a program that runs the script named after it. */
function isInterpreter(word: string): boolean {
  const name = baseName(word);
  return INTERPRETERS.has(name) || /^python\d+(?:\.\d+)*$/.test(name);
}

/** Where the program starts, after `VAR=value` assignments; undefined for a line of assignments only. */
function firstProgram(words: string[]): number | undefined {
  const at = words.findIndex((word) => !ASSIGNMENT.test(word));
  return at === -1 ? undefined : at;
}

/** The script of `bash -c "…"`, if that is what the words run. */
function inlineScript(args: string[]): string | undefined {
  const at = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
  return at === -1 ? undefined : args[at + 1];
}

function operator(joinedBy: string): string {
  if (joinedBy === "&&" || joinedBy === "||" || joinedBy === "|") return ` ${joinedBy} `;
  if (joinedBy === "|&") return " | ";
  if (joinedBy === "&") return " & ";
  return "; ";
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
