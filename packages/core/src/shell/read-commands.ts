import { tokenizeShell } from "./tokenize-shell.js";

/** A command as it ran, with wrappers, environment prefixes and `cd` resolved. */
export interface SimpleCommand {
  /** The program's base name, lower case, without `.exe` / `.cmd` (`./node_modules/.bin/vitest` → `vitest`). */
  program: string;
  args: string[];
  /** Directories it ran in or was pointed at: the `cd` before it, `--prefix`, `-C`, `--cwd`, `--directory`. */
  dirs: string[];
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const MAX_NESTING = 3;

/**
 * Reads a shell command line into the simple commands that ran, in order.
 * `cd DIR && x` gives `x` the directory DIR; wrappers such as `npx`, `pnpm exec`, `bunx`, `uv run`,
 * `python -m`, `nix develop -c`, `timeout N`, `env`, `sudo`, `bash -c "…"` are seen through.
 *
 * @example readShellCommands("cd app/server && uv run pytest -q")
 * // [{ program: "pytest", args: ["-q"], dirs: ["app/server"] }]  (the `cd` itself is not returned)
 */
export function readShellCommands(command: string, depth = 0): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let cwd: string | undefined;
  for (const segment of tokenizeShell(command)) {
    const unwrapped = unwrap(segment.words, depth);
    if (unwrapped === undefined) continue;
    if ("nested" in unwrapped) {
      for (const inner of readShellCommands(unwrapped.nested, depth + 1)) {
        commands.push(cwd === undefined ? inner : { ...inner, dirs: [cwd, ...inner.dirs] });
      }
      continue;
    }
    if (unwrapped.program === "cd" || unwrapped.program === "pushd") {
      const target = unwrapped.args.find((arg) => !arg.startsWith("-"));
      cwd = target === undefined || target === "~" ? undefined : joinDir(cwd, target);
      continue;
    }
    const dirs =
      cwd === undefined ? unwrapped.dirs : [cwd, ...unwrapped.dirs.map((dir) => joinDir(cwd, dir))];
    commands.push({ ...unwrapped, dirs });
  }
  return commands;
}

type Unwrapped = SimpleCommand | { nested: string };

/** Strips assignments and wrappers until the real program is first. */
function unwrap(input: string[], depth: number): Unwrapped | undefined {
  let words = input;
  const dirs: string[] = [];
  for (let guard = 0; guard < 16; guard++) {
    while (words.length > 0 && ASSIGNMENT.test(words[0] as string)) words = words.slice(1);
    const first = words[0];
    if (first === undefined) return undefined;
    const program = baseName(first);
    const rest = words.slice(1);
    const next = stripWrapper(program, rest, dirs, depth);
    if (next === undefined) return { program, args: rest, dirs };
    if ("nested" in next) return next;
    words = next.words;
  }
  return undefined;
}

/** If `program` is a wrapper, the words it runs; undefined when `program` is the real command. */
function stripWrapper(
  program: string,
  args: string[],
  dirs: string[],
  depth: number,
): { words: string[] } | { nested: string } | undefined {
  switch (program) {
    case "env":
    case "sudo":
    case "nohup":
    case "time":
    case "command":
    case "exec":
    case "nice":
    case "stdbuf":
    case "xvfb-run":
    case "caffeinate":
    case "dotenv":
    case "cross-env":
    case "npx":
    case "bunx":
    case "pnpx":
    case "uvx":
    case "dotenvx":
      return { words: skipOptions(args, OPTIONS_WITH_VALUE[program]) };
    case "timeout": {
      const rest = skipOptions(args, ["-s", "--signal", "-k", "--kill-after"]);
      return { words: /^\d/.test(rest[0] ?? "") ? rest.slice(1) : rest };
    }
    case "pnpm":
    case "yarn":
    case "npm":
    case "bun": {
      const rest = collectDirs(args, dirs);
      const sub = rest[0];
      if (sub === "exec" || sub === "dlx" || (program === "npm" && sub === "x")) {
        return { words: skipOptions(rest.slice(1), []) };
      }
      if (program === "bun" && sub === "x") return { words: rest.slice(1) };
      if (rest.length !== args.length) return { words: [program, ...rest] };
      return undefined;
    }
    case "uv":
    case "poetry":
    case "pipenv":
    case "pdm":
    case "hatch":
    case "rye": {
      const rest = collectDirs(args, dirs);
      if (rest[0] === "run")
        return { words: skipOptions(rest.slice(1), ["--with", "--python", "-p", "--group", "--extra"]) };
      if (rest.length !== args.length) return { words: [program, ...rest] };
      return undefined;
    }
    case "python":
    case "python3":
    case "py": {
      // `python -u -m pytest` runs pytest; `python -c "…"` and `python script.py` run no tool we know.
      const module = args.findIndex((arg) => arg === "-m" || arg === "-c" || !arg.startsWith("-"));
      return args[module] === "-m" && args[module + 1] !== undefined
        ? { words: args.slice(module + 1) }
        : undefined;
    }
    case "nix": {
      const at = args.findIndex((arg) => arg === "-c" || arg === "--command");
      return at === -1 ? undefined : { words: args.slice(at + 1) };
    }
    case "nix-shell": {
      const at = args.indexOf("--run");
      const script = args[at + 1];
      return at === -1 || script === undefined || depth >= MAX_NESTING ? undefined : { nested: script };
    }
    case "bash":
    case "sh":
    case "zsh": {
      const at = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
      const script = args[at + 1];
      return at === -1 || script === undefined || depth >= MAX_NESTING ? undefined : { nested: script };
    }
    case "bundle":
      return args[0] === "exec" ? { words: args.slice(1) } : undefined;
    case "docker":
    case "docker-compose":
    case "podman":
      return unwrapContainerExec(program, args, dirs);
    case "make":
    case "git":
    case "go": {
      const rest = collectDirs(args, dirs);
      return rest.length !== args.length ? { words: [program, ...rest] } : undefined;
    }
    default:
      return undefined;
  }
}

const CONTAINER_OPTIONS_WITH_VALUE = [
  "-e",
  "--env",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "-f",
  "--file",
  "-p",
  "--project-name",
  "--env-file",
];

/** `docker compose exec api pytest` runs pytest, in the service `api` (a hint for the target). */
function unwrapContainerExec(
  program: string,
  args: string[],
  dirs: string[],
): { words: string[] } | undefined {
  let rest = program === "docker" && args[0] === "compose" ? args.slice(1) : args;
  rest = skipOptions(rest, CONTAINER_OPTIONS_WITH_VALUE);
  if (rest[0] !== "exec" && rest[0] !== "run") return undefined;
  const afterOptions = skipOptions(rest.slice(1), CONTAINER_OPTIONS_WITH_VALUE);
  const service = afterOptions[0];
  if (service === undefined || afterOptions.length < 2) return undefined;
  dirs.push(service);
  return { words: afterOptions.slice(1) };
}

const OPTIONS_WITH_VALUE: Record<string, string[]> = {
  npx: ["-p", "--package"],
  pnpx: ["-p", "--package"],
  bunx: ["-p", "--package"],
  uvx: ["--with", "--from", "--python"],
  sudo: ["-u", "-g"],
  nice: ["-n"],
  dotenv: ["-e", "-c"],
  dotenvx: ["-f"],
};

/** Drops leading options (and the values of those that take one), and a `--` that ends them. */
function skipOptions(args: string[], withValue: string[] = []): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === "--") return args.slice(i + 1);
    if (ASSIGNMENT.test(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    i += withValue.includes(arg) ? 2 : 1;
  }
  return args.slice(i);
}

const DIR_OPTIONS = new Set([
  "--prefix",
  "-C",
  "--cwd",
  "--dir",
  "--directory",
  "--filter",
  "-F",
  "--project",
]);

/** Removes directory options (`--prefix web`, `-C app/server`, `--cwd=x`) and records their values. */
function collectDirs(args: string[], dirs: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf("=");
    if (eq > 0 && DIR_OPTIONS.has(arg.slice(0, eq))) {
      dirs.push(arg.slice(eq + 1));
    } else if (DIR_OPTIONS.has(arg) && args[i + 1] !== undefined) {
      dirs.push(args[i + 1] as string);
      i++;
    } else {
      rest.push(arg);
    }
  }
  return rest;
}

/** `./node_modules/.bin/vitest` → `vitest`, `C:\Python\python.exe` → `python`. */
export function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path
    .slice(slash + 1)
    .toLowerCase()
    .replace(/\.(?:exe|cmd|bat)$/, "");
}

/** Joins `dir` onto `base` (a `cd` into an absolute path replaces it) and folds `.` and `..`. */
function joinDir(base: string | undefined, dir: string): string {
  const joined = base === undefined || /^(?:[/\\~]|[A-Za-z]:)/.test(dir) ? dir : `${base}/${dir}`;
  const parts: string[] = [];
  for (const part of joined.split(/[/\\]+/)) {
    if (part === "..") parts.length > 0 && parts[parts.length - 1] !== ".." ? parts.pop() : parts.push(part);
    else if (part !== "." && part !== "") parts.push(part);
  }
  return (joined.startsWith("/") ? "/" : "") + parts.join("/");
}
