import { markerOf, withMarker } from "./file-marker.js";
import type { ScriptCommand } from "./script-command.js";

/** A file of an automation: its path from the project's root, its text, and whether it is executable. */
export interface AutomationFile {
  path: string;
  content: string;
  executable: boolean;
}

/** What the skill is about: the pattern, its command, and where the skill lives. */
export interface SkillInput {
  signature: string;
  /** Runs of the pattern. */
  occurrences: number;
  command: ScriptCommand;
  /** The command's directory relative to the project root; null for the root. */
  directory: string | null;
}

/** How many lines of output a failing run shows, and how many failing names at most. */
const LAST_LINES = 20;
const FAILING_NAMES = 20;

/** `test:pytest:backend` → `test-pytest-backend`: a skill name (lowercase letters, digits and hyphens). */
export function skillNameOf(signature: string): string {
  const name = signature
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (name === "" ? "pattern" : name).slice(0, 64).replace(/-+$/, "");
}

/** Where a pattern's skill, script and steering hook live, from the project's root. */
export function skillPaths(signature: string) {
  const directory = `.claude/skills/${skillNameOf(signature)}`;
  return {
    name: skillNameOf(signature),
    skill: `${directory}/SKILL.md`,
    script: `${directory}/run.sh`,
    steer: `${directory}/steer.sh`,
  };
}

/** The skill's SKILL.md and its script; with `hook`, the steering hook's script too. */
export function renderSkillFiles(input: SkillInput, hook: boolean): AutomationFile[] {
  const files = [renderSkill(input), renderScript(input)];
  if (hook) files.push(renderSteer(input));
  return files;
}

function renderSkill(input: SkillInput): AutomationFile {
  const paths = skillPaths(input.signature);
  const where = input.directory === null ? "the project root" : `\`${input.directory}\``;
  const command = input.command.shape;
  const usage = input.command.takesArguments ? `${paths.script} [paths...]` : paths.script;
  const description =
    `Runs \`${command}\` in ${where.replace(/`/g, "")} and prints only a short summary (exit status, failing ` +
    `tests or files, the last lines on failure). Use it instead of running \`${command}\` yourself, ` +
    `whenever the task needs that command (the operation ${input.signature}).`;
  const text = [
    "---",
    `name: ${paths.name}`,
    `description: ${JSON.stringify(description)}`,
    `allowed-tools: Bash(${paths.script}:*)`,
    "---",
    "",
    `# ${input.signature}`,
    "",
    `Run this from the project root instead of \`${command}\`:`,
    "",
    "```bash",
    usage,
    "```",
    "",
    `It runs \`${command}\` in ${where} (the command of ${input.command.runs} of the ${input.occurrences}`,
    "recorded runs of this operation) and prints a few lines: `ok` or `FAILED` with the exit status, the failing",
    `test or file names, and on failure the last ${LAST_LINES} lines of output. Its exit status is the command's.`,
    ...(input.command.takesArguments ? ["Paths given to the script are passed on to the command."] : []),
    "Read the summary; run the raw command yourself only when the summary is not enough to act on.",
    "",
  ].join("\n");
  return {
    path: paths.skill,
    content: withMarker(text, 5, (hash) => `<!-- written by patternloop automate; ${markerOf(hash)} -->`),
    executable: false,
  };
}

function renderScript(input: SkillInput): AutomationFile {
  const paths = skillPaths(input.signature);
  const directory = input.directory;
  const target = directory === null ? '"$root"' : `"$root"/${shellQuote(directory)}`;
  const text = [
    "#!/usr/bin/env bash",
    `# ${input.signature}: runs the operation's most common command and prints a short summary.`,
    "# Written by `patternloop automate`; edit it freely (patternloop then leaves it alone unless --force).",
    "set -u",
    "# The project root: this script lives in <root>/.claude/skills/<name>/.",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by bash
    'root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"',
    `cd ${target} 2>/dev/null || { echo "${paths.name}: cannot enter ${directory ?? "the project root"} in $root" >&2; exit 2; }`,
    'log="$(mktemp)"',
    "trap 'rm -f \"$log\"' EXIT",
    `${input.command.shell} >"$log" 2>&1`,
    "status=$?",
    'if [ "$status" -eq 0 ]; then',
    `  echo "ok: ${escapeDouble(input.command.shape)} (exit 0, $(wc -l <"$log" | tr -d ' ') lines of output)"`,
    "  exit 0",
    "fi",
    `echo "FAILED: ${escapeDouble(input.command.shape)} (exit $status)"`,
    "# Failing names as common runners print them: TAP and node --test, pytest, jest/vitest, tsc, compilers.",
    `failing="$(grep -E '^[[:space:]]*(not ok [0-9]+|✖|×|FAILED|FAIL|ERROR)[[:space:]]|error TS[0-9]+|^[^[:space:]]+:[0-9]+(:[0-9]+)?: (error|fatal)' "$log" | awk '!seen[$0]++' | head -n ${FAILING_NAMES})"`,
    'if [ -n "$failing" ]; then',
    '  echo "failing:"',
    `  printf '%s\\n' "$failing" | sed 's/^[[:space:]]*/  /'`,
    "fi",
    `echo "last ${LAST_LINES} lines:"`,
    `tail -n ${LAST_LINES} "$log" | sed 's/^/  /'`,
    'exit "$status"',
    "",
  ].join("\n");
  return {
    path: paths.script,
    content: withMarker(text, 3, (hash) => `# ${markerOf(hash)}`),
    executable: true,
  };
}

function renderSteer(input: SkillInput): AutomationFile {
  const paths = skillPaths(input.signature);
  const words = input.command.leadingWords.map(escapeRegex).join("[[:space:]]+");
  const usage = input.command.takesArguments ? `${paths.script} [paths...]` : paths.script;
  const reason = `Use ${usage} instead of running ${input.command.leadingWords.join(" ")} directly: it runs the same command and prints a short summary (skill ${paths.name}).`;
  const output = JSON.stringify({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  });
  const text = [
    "#!/usr/bin/env bash",
    `# PreToolUse hook for Bash: steers a raw \`${input.command.leadingWords.join(" ")}\` to ${paths.script}.`,
    "# Written by `patternloop automate --hook`; edit it freely (patternloop then leaves it alone unless --force).",
    "# Reads the hook's JSON on stdin; prints a deny decision naming the script, or nothing to let the call run.",
    'input="$(cat)"',
    "# The command's JSON string, without its key; its closing quote stays.",
    `command="$(printf '%s' "$input" | grep -oE '"command"[[:space:]]*:[[:space:]]*"([^"\\\\]|\\\\.)*"' | head -n 1 | sed -E 's/^"command"[[:space:]]*:[[:space:]]*"//')"`,
    `case "$command" in *${shellQuote(`skills/${paths.name}/`)}*) exit 0 ;; esac`,
    `if printf '%s' "$command" | grep -qE ${shellQuote(`(^|[[:space:];&|(])${words}([[:space:];&|)"]|$)`)}; then`,
    `  printf '%s\\n' ${shellQuote(output)}`,
    "fi",
    "exit 0",
    "",
  ].join("\n");
  return {
    path: paths.steer,
    content: withMarker(text, 3, (hash) => `# ${markerOf(hash)}`),
    executable: true,
  };
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function escapeDouble(text: string): string {
  return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

function escapeRegex(word: string): string {
  return word.replace(/[.[\]()*+?{}|^$\\]/g, (c) => `\\${c}`);
}
