import { baseName, type SimpleCommand } from "../shell/read-commands.js";
import { GIT_OPERATIONS, gitSubcategory, type OperationMatch, op, table } from "./operation.js";
import { matchScriptName } from "./script-rules.js";

/** A first argument that asks a tool about itself instead of running it (`-v` is verbose for most tools). */
const INFO_FLAGS = new Set(["--version", "--help", "version", "help", "--init", "init"]);

/** Programs recognised by name alone (after wrappers are stripped). */
const TOOLS = table<OperationMatch>({
  pytest: op("test", "pytest", "command:pytest", "backend"),
  "py.test": op("test", "pytest", "command:pytest", "backend"),
  vitest: op("test", "vitest", "command:vitest", "frontend"),
  jest: op("test", "jest", "command:jest", "frontend"),
  mocha: op("test", "mocha", "command:mocha"),
  ava: op("test", "ava", "command:ava"),
  unittest: op("test", "unittest", "command:unittest", "backend"),
  tox: op("test", "generic", "command:tox", "backend"),
  nox: op("test", "generic", "command:nox", "backend"),
  rspec: op("test", "rspec", "command:rspec", "backend"),
  phpunit: op("test", "phpunit", "command:phpunit", "backend"),
  tsc: op("build", "typecheck", "command:tsc", "all"),
  "vue-tsc": op("build", "typecheck", "command:vue-tsc", "frontend"),
  tsgo: op("build", "typecheck", "command:tsgo", "all"),
  "svelte-check": op("build", "typecheck", "command:svelte-check", "frontend"),
  mypy: op("build", "typecheck", "command:mypy", "backend"),
  pyright: op("build", "typecheck", "command:pyright", "backend"),
  basedpyright: op("build", "typecheck", "command:pyright", "backend"),
  webpack: op("build", "bundle", "command:webpack", "frontend"),
  rollup: op("build", "bundle", "command:rollup", "frontend"),
  esbuild: op("build", "bundle", "command:esbuild", "frontend"),
  tsup: op("build", "bundle", "command:tsup", "all"),
  prettier: op("format", "prettier", "command:prettier"),
  eslint: op("format", "eslint", "command:eslint"),
  ruff: op("format", "ruff", "command:ruff"),
  black: op("format", "black", "command:black"),
  isort: op("format", "isort", "command:isort"),
  flake8: op("format", "flake8", "command:flake8"),
  pylint: op("format", "pylint", "command:pylint"),
  autopep8: op("format", "autopep8", "command:autopep8"),
  gofmt: op("format", "gofmt", "command:gofmt"),
  goimports: op("format", "gofmt", "command:goimports"),
  "golangci-lint": op("format", "golangci-lint", "command:golangci-lint"),
  rustfmt: op("format", "rustfmt", "command:rustfmt"),
  stylelint: op("format", "stylelint", "command:stylelint"),
  oxlint: op("format", "oxlint", "command:oxlint"),
  dprint: op("format", "dprint", "command:dprint"),
  shellcheck: op("format", "shellcheck", "command:shellcheck"),
  "markdownlint-cli2": op("format", "markdownlint", "command:markdownlint"),
  markdownlint: op("format", "markdownlint", "command:markdownlint"),
  "sphinx-build": op("docs", "generate", "command:sphinx-build"),
  typedoc: op("docs", "generate", "command:typedoc"),
  jsdoc: op("docs", "generate", "command:jsdoc"),
  pdoc: op("docs", "generate", "command:pdoc"),
  doxygen: op("docs", "generate", "command:doxygen"),
  ultracite: op("format", "ultracite", "command:ultracite"),
});

/** Tools that act only with a given first argument (`vite build`, `playwright test`). */
const TOOL_SUBCOMMANDS = table<ReadonlyMap<string, OperationMatch>>({
  vite: table({ build: op("build", "bundle", "command:vite-build", "frontend") }),
  next: table({
    build: op("build", "bundle", "command:next-build", "frontend"),
    lint: op("format", "eslint", "command:next-lint"),
  }),
  nuxt: table({ build: op("build", "bundle", "command:nuxt-build", "frontend") }),
  astro: table({
    build: op("build", "bundle", "command:astro-build", "frontend"),
    check: op("build", "typecheck", "command:astro-check", "frontend"),
  }),
  parcel: table({ build: op("build", "bundle", "command:parcel-build", "frontend") }),
  playwright: table({ test: op("test", "playwright", "command:playwright", "frontend") }),
  cypress: table({ run: op("test", "cypress", "command:cypress", "frontend") }),
  biome: table({
    check: op("format", "biome", "command:biome"),
    format: op("format", "biome", "command:biome"),
    lint: op("format", "biome", "command:biome"),
    ci: op("format", "biome", "command:biome"),
  }),
  mkdocs: table({ build: op("docs", "generate", "command:mkdocs") }),
  go: table({
    test: op("test", "go", "command:go-test"),
    build: op("build", "compile", "command:go-build"),
    vet: op("format", "govet", "command:go-vet"),
    fmt: op("format", "gofmt", "command:go-fmt"),
    get: op("deps", "go", "command:go-get"),
    mod: op("deps", "go", "command:go-mod"),
  }),
  cargo: table({
    test: op("test", "cargo", "command:cargo-test"),
    nextest: op("test", "cargo", "command:cargo-test"),
    build: op("build", "compile", "command:cargo-build"),
    check: op("build", "typecheck", "command:cargo-check"),
    clippy: op("format", "clippy", "command:cargo-clippy"),
    fmt: op("format", "rustfmt", "command:cargo-fmt"),
    add: op("deps", "cargo", "command:cargo-deps"),
    update: op("deps", "cargo", "command:cargo-deps"),
    fetch: op("deps", "cargo", "command:cargo-deps"),
    doc: op("docs", "generate", "command:cargo-doc"),
  }),
  dotnet: table({
    test: op("test", "dotnet", "command:dotnet-test", "backend"),
    build: op("build", "compile", "command:dotnet-build", "backend"),
    format: op("format", "dotnet-format", "command:dotnet-format"),
    restore: op("deps", "dotnet", "command:dotnet-restore"),
  }),
  deno: table({
    test: op("test", "deno", "command:deno-test"),
    check: op("build", "typecheck", "command:deno-check"),
    fmt: op("format", "deno", "command:deno-fmt"),
    lint: op("format", "deno", "command:deno-lint"),
  }),
  swift: table({
    test: op("test", "swift", "command:swift-test"),
    build: op("build", "compile", "command:swift-build"),
  }),
  zig: table({
    test: op("test", "zig", "command:zig-test"),
    build: op("build", "compile", "command:zig-build"),
  }),
  pip: table({ install: op("deps", "pip", "command:pip-install") }),
  pip3: table({ install: op("deps", "pip", "command:pip-install") }),
  poetry: table({
    install: op("deps", "poetry", "command:poetry"),
    add: op("deps", "poetry", "command:poetry"),
    update: op("deps", "poetry", "command:poetry"),
    lock: op("deps", "poetry", "command:poetry"),
  }),
  pipenv: table({
    install: op("deps", "pipenv", "command:pipenv"),
    sync: op("deps", "pipenv", "command:pipenv"),
  }),
  bundle: table({ install: op("deps", "bundler", "command:bundle-install") }),
  composer: table({
    install: op("deps", "composer", "command:composer"),
    update: op("deps", "composer", "command:composer"),
  }),
  conda: table({ install: op("deps", "conda", "command:conda-install") }),
  nix: table({
    build: op("build", "generic", "command:nix-build", "all"),
    fmt: op("format", "nix", "command:nix-fmt"),
  }),
  esphome: table({ compile: op("build", "compile", "command:esphome-compile") }),
  jekyll: table({ build: op("build", "bundle", "command:jekyll-build", "frontend") }),
  hugo: table({ build: op("build", "bundle", "command:hugo-build", "frontend") }),
  docker: table({ build: op("build", "docker", "command:docker-build", "all") }),
});

const BUILD_TOOLS = table({ mvn: "maven", gradle: "gradle", gradlew: "gradle" });
const MAKE_LIKE = new Set(["make", "just", "task", "mise", "invoke"]);
const MONOREPO_RUNNERS = new Set(["turbo", "nx", "lerna"]);

const PACKAGE_MANAGERS = new Set(["npm", "pnpm", "yarn", "bun"]);
const INSTALL_VERBS = new Set(["install", "i", "ci", "add", "update", "upgrade", "up", "sync"]);

/** Recognises the operation one simple command performs, if it is one patternloop tracks. */
export function matchCommand(command: SimpleCommand): OperationMatch | undefined {
  const { program, args } = command;
  const first = args[0];
  if (first !== undefined && INFO_FLAGS.has(first)) return undefined;
  const tool = TOOLS.get(program);
  if (tool !== undefined) return tool;
  if (program === "nix" && first === "flake" && args[1] === "check")
    return op("test", "generic", "command:nix-flake-check", "all");
  const bySubcommand = TOOL_SUBCOMMANDS.get(program);
  if (bySubcommand !== undefined) return first === undefined ? undefined : bySubcommand.get(first);
  if (PACKAGE_MANAGERS.has(program)) return matchPackageManager(program, args);
  if (program === "git") return matchGit(args);
  if (program === "uv") return matchUv(args);
  if (MAKE_LIKE.has(program)) {
    const target = args.find((arg) => !arg.startsWith("-") && !arg.includes("="));
    return target === undefined
      ? program === "make"
        ? op("build", "generic", "command:make", "all")
        : undefined
      : matchScriptName(target, `command:${program}`);
  }
  if (MONOREPO_RUNNERS.has(program)) return matchMonorepoRunner(program, args);
  if (program === "node") return matchNodeTest(args);
  if (PYTHONS.has(program)) return matchPythonTestFile(args);
  if (program === "gh") return matchGh(args);
  const script =
    SHELL_SCRIPT.exec(program) ?? (SHELLS.has(program) ? SHELL_SCRIPT.exec(baseName(first ?? "")) : null);
  if (script?.[1] !== undefined) return matchScriptName(script[1], "command:shell-script");
  const buildTool = BUILD_TOOLS.get(program);
  if (buildTool !== undefined) return matchJvmBuild(buildTool, args);
  return undefined;
}

const SHELL_SCRIPT = /^(.+)\.(?:sh|bash|zsh|ps1)$/;
const SHELLS = new Set(["bash", "sh", "zsh", "pwsh", "powershell"]);
const NODE_TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const PYTHONS = new Set(["python", "python3", "py"]);
/** pytest's naming of test files: `test_*.py` or `*_test.py`. */
const PYTHON_TEST_FILE = /^test_.*\.py$|_test\.py$/;
const PYTHON_OPTIONS_WITH_VALUE = new Set(["-W", "-X"]);

/** `node --test`, `node src/config.test.js`. */
function matchNodeTest(args: string[]): OperationMatch | undefined {
  if (args.includes("--test")) return op("test", "node", "command:node-test");
  const file = args.find((arg) => !arg.startsWith("-"));
  return file !== undefined && NODE_TEST_FILE.test(file)
    ? op("test", "node", "command:node-test")
    : undefined;
}

/** `python test_imports.py`: a test file run directly. (`python -m pytest` reaches here as `pytest`.) */
function matchPythonTestFile(args: string[]): OperationMatch | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-c" || arg === "-m") return undefined;
    if (PYTHON_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith("-"))
      return PYTHON_TEST_FILE.test(baseName(arg))
        ? op("test", "generic", "command:python-test-file", "backend")
        : undefined;
  }
  return undefined;
}

/** `gh run view|list|watch` and `gh pr checks` look up what CI made of a push; other `gh` commands do not. */
function matchGh(args: string[]): OperationMatch | undefined {
  const positional = args.filter(
    (arg, i) => !arg.startsWith("-") && args[i - 1] !== "-R" && args[i - 1] !== "--repo",
  );
  const [group, action] = positional;
  const checksCi =
    (group === "run" && (action === "view" || action === "list" || action === "watch")) ||
    (group === "pr" && action === "checks");
  return checksCi ? op("ci", "status", "command:gh-ci-status") : undefined;
}

function matchPackageManager(manager: string, args: string[]): OperationMatch | undefined {
  const positional = args.filter((arg) => !arg.startsWith("-"));
  const sub = positional[0];
  if (sub === undefined)
    return manager === "yarn" || manager === "bun"
      ? op("deps", manager, `command:${manager}-install`)
      : undefined;
  if (INSTALL_VERBS.has(sub)) return op("deps", manager, `command:${manager}-install`);
  if (manager === "bun" && sub === "test") return op("test", "bun", "command:bun-test");
  if (sub === "test" || sub === "t") return op("test", "generic", `command:${manager}-test`, "all");
  if (sub === "run" || sub === "run-script") {
    const script = positional[1];
    return script === undefined ? undefined : matchScriptName(script, "script");
  }
  // pnpm, yarn and bun run a script named as the first word; npm only runs its own commands that way.
  return manager === "npm" ? undefined : matchScriptName(sub, "script");
}

function matchUv(args: string[]): OperationMatch | undefined {
  const [sub, next] = args;
  if (sub === "sync" || sub === "add" || sub === "lock" || sub === "install")
    return op("deps", "uv", "command:uv");
  if (sub === "pip" && (next === "install" || next === "sync")) return op("deps", "uv", "command:uv-pip");
  return undefined;
}

function matchMonorepoRunner(runner: string, args: string[]): OperationMatch | undefined {
  const positional = args.filter((arg) => !arg.startsWith("-"));
  const start =
    positional[0] === "run" || positional[0] === "run-many" || positional[0] === "affected" ? 1 : 0;
  const taskFlag = args.findIndex((arg) => arg === "-t" || arg === "--target" || arg === "--targets");
  const task = taskFlag !== -1 ? args[taskFlag + 1] : positional[start];
  return task === undefined ? undefined : matchScriptName(task.split(",")[0] ?? task, `command:${runner}`);
}

function matchJvmBuild(tool: string, args: string[]): OperationMatch | undefined {
  const goals = args.filter((arg) => !arg.startsWith("-"));
  if (goals.some((goal) => goal === "test" || goal === "verify" || goal === "check"))
    return op("test", tool, `command:${tool}`, "backend");
  if (
    goals.some(
      (goal) =>
        goal === "compile" ||
        goal === "package" ||
        goal === "build" ||
        goal === "install" ||
        goal === "assemble",
    )
  ) {
    return op("build", "compile", `command:${tool}`, "backend");
  }
  return undefined;
}

const GIT_OPTIONS_WITH_VALUE = new Set(["-c", "--git-dir", "--work-tree", "--namespace"]);

function matchGit(args: string[]): OperationMatch | undefined {
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith("-"))
    i += GIT_OPTIONS_WITH_VALUE.has(args[i] as string) ? 2 : 1;
  const sub = args[i];
  if (sub === undefined || !GIT_OPERATIONS.has(sub)) return undefined;
  return op("git", gitSubcategory(sub), "command:git");
}
