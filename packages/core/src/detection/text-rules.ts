import { splitWords } from "../words.js";
import { GIT_OPERATIONS, gitSubcategory, type OperationMatch, op, table } from "./operation.js";

/** An operation named in prose, with the words that named it and the other words of its sentence. */
export interface TextMatch extends OperationMatch {
  /** The words that matched, for the evidence. */
  text: string;
  /** Every word of the sentence the match stands in, to infer the target from. */
  sentence: readonly string[];
}

const TEST_TOOLS = table<OperationMatch>({
  pytest: op("test", "pytest", "text:test-tool", "backend"),
  vitest: op("test", "vitest", "text:test-tool", "frontend"),
  jest: op("test", "jest", "text:test-tool", "frontend"),
  unittest: op("test", "unittest", "text:test-tool", "backend"),
  rspec: op("test", "rspec", "text:test-tool", "backend"),
  phpunit: op("test", "phpunit", "text:test-tool", "backend"),
});
/** Tool names that are also ordinary words or other things: they count only beside a word of their trade. */
const CONTEXTUAL_TOOLS = table<{ match: OperationMatch; context: ReadonlySet<string> }>({
  playwright: {
    match: op("test", "playwright", "text:test-tool", "frontend"),
    context: new Set(["test", "tests", "e2e", "testing", "spec", "specs"]),
  },
  cypress: {
    match: op("test", "cypress", "text:test-tool", "frontend"),
    context: new Set(["test", "tests", "e2e", "testing", "spec", "specs"]),
  },
  mocha: {
    match: op("test", "mocha", "text:test-tool"),
    context: new Set(["test", "tests", "run", "testing"]),
  },
  black: {
    match: op("format", "black", "text:format-tool"),
    context: new Set(["format", "formatting", "formatter", "reformat", "run", "lint"]),
  },
  biome: {
    match: op("format", "biome", "text:format-tool"),
    context: new Set(["format", "formatting", "formatter", "lint", "linter", "run", "check"]),
  },
});
const FORMAT_TOOLS = table({
  prettier: "prettier",
  eslint: "eslint",
  ruff: "ruff",
  isort: "isort",
  flake8: "flake8",
  pylint: "pylint",
  stylelint: "stylelint",
  "golangci-lint": "golangci-lint",
  clippy: "clippy",
  rustfmt: "rustfmt",
  gofmt: "gofmt",
});
const TYPECHECK_WORDS = table<OperationMatch>({
  typecheck: op("build", "typecheck", "text:typecheck", "all"),
  "type-check": op("build", "typecheck", "text:typecheck", "all"),
  typechecking: op("build", "typecheck", "text:typecheck", "all"),
  "type-checking": op("build", "typecheck", "text:typecheck", "all"),
  typechecks: op("build", "typecheck", "text:typecheck", "all"),
  tsc: op("build", "typecheck", "text:typecheck", "all"),
  "vue-tsc": op("build", "typecheck", "text:typecheck", "frontend"),
  mypy: op("build", "typecheck", "text:typecheck", "backend"),
  pyright: op("build", "typecheck", "text:typecheck", "backend"),
});
/** `<tool> <word>` pairs that name an operation in prose as they would on a command line. */
const COMMAND_PAIRS = table<OperationMatch>({
  "go test": op("test", "go", "text:command-words"),
  "cargo test": op("test", "cargo", "text:command-words"),
  "bun test": op("test", "bun", "text:command-words"),
  "deno test": op("test", "deno", "text:command-words"),
  "npm test": op("test", "generic", "text:command-words", "all"),
  "yarn test": op("test", "generic", "text:command-words", "all"),
  "pnpm test": op("test", "generic", "text:command-words", "all"),
  "make test": op("test", "generic", "text:command-words", "all"),
  "go build": op("build", "compile", "text:command-words"),
  "cargo build": op("build", "compile", "text:command-words"),
  "vite build": op("build", "bundle", "text:command-words", "frontend"),
  "type check": op("build", "typecheck", "text:typecheck", "all"),
  "type checking": op("build", "typecheck", "text:typecheck", "all"),
  "type errors": op("build", "typecheck", "text:typecheck", "all"),
  "npm install": op("deps", "npm", "text:command-words"),
  "npm ci": op("deps", "npm", "text:command-words"),
  "pnpm install": op("deps", "pnpm", "text:command-words"),
  "yarn install": op("deps", "yarn", "text:command-words"),
  "bun install": op("deps", "bun", "text:command-words"),
  "pip install": op("deps", "pip", "text:command-words"),
  "uv sync": op("deps", "uv", "text:command-words"),
  "poetry install": op("deps", "poetry", "text:command-words"),
  "commit history": op("git", "log", "text:git"),
});

const GENERIC_TEST = new Set(["test", "tests", "testing", "e2e", "unit-test", "unit-tests"]);
/** `test user`, `test data`: the word qualifies something else and names no test run. */
const NOT_A_TEST_RUN = new Set([
  "data",
  "user",
  "users",
  "account",
  "accounts",
  "env",
  "environment",
  "mode",
  "credentials",
  "key",
  "keys",
  "email",
  "emails",
  "page",
  "server",
  "file",
  "files",
  "fixture",
  "fixtures",
  "image",
  "images",
  "token",
  "tokens",
]);
const COMPILE = new Set(["compile", "compiles", "compiling", "compilation", "recompile"]);
const BUNDLE = new Set(["bundle", "rebundle", "bundling", "webpack"]);
const BUILD = new Set(["build", "rebuild", "rebuilding", "building"]);
const BUILD_OBJECTS = new Set([
  "project",
  "app",
  "application",
  "client",
  "frontend",
  "backend",
  "server",
  "code",
  "codebase",
  "package",
  "packages",
  "binary",
  "repo",
  "repository",
  "everything",
  "it",
  "site",
  "image",
  "container",
  "workspace",
  "solution",
  "assets",
  "extension",
  "library",
  "service",
  "services",
  "css",
  "dist",
]);
const BUILD_STATES = new Set([
  "fails",
  "failed",
  "failing",
  "failure",
  "errors",
  "error",
  "passes",
  "passing",
  "broken",
  "breaks",
  "output",
  "step",
  "script",
  "command",
  "succeeds",
  "warnings",
]);
const DETERMINERS = new Set(["the", "our", "this", "my", "all", "whole", "entire", "both", "and"]);
const LINT = new Set(["lint", "linting", "linter", "linters", "lints", "relint"]);
const FORMAT = new Set(["format", "reformat", "formatting", "formatter", "autoformat"]);
const FORMAT_OBJECTS = new Set([
  "code",
  "codebase",
  "files",
  "file",
  "project",
  "repo",
  "repository",
  "everything",
  "it",
  "all",
  "python",
  "typescript",
  "javascript",
  "source",
  "sources",
  "changes",
  "imports",
]);
const DEPS_VERBS = new Set(["install", "reinstall", "update", "upgrade", "bump", "add", "sync", "refresh"]);
const DEPS_OBJECTS = new Set([
  "dependencies",
  "dependency",
  "deps",
  "packages",
  "requirements",
  "modules",
  "node_modules",
  "lockfile",
]);
const DEPS_MANAGERS = new Set([
  "npm",
  "pnpm",
  "yarn",
  "pip",
  "uv",
  "poetry",
  "bun",
  "composer",
  "cargo",
  "pipenv",
  "conda",
]);
/**
 * Only generating or building documentation is an operation; writing, updating or improving a README, a
 * changelog, docstrings or docs pages is the agent's own prose, which no script can do.
 */
const DOCS_VERBS = new Set(["generate", "regenerate", "build", "rebuild"]);
const DOCS_OBJECTS = new Set(["documentation", "docs", "typedoc", "sphinx", "mkdocs"]);

/** How far after its verb the object of `update the … dependencies` may stand. */
const OBJECT_WINDOW = 4;

/**
 * Finds the operations a request or an error message names, matching whole words only (`latest` is not
 * `test`, `invite` is not `vite`). Tool names that are common words (`black`, `mocha`) need a word of their
 * trade in the same sentence; `build` needs an object that can be built (`build the project`), not a creation
 * (`build a dashboard`).
 */
export function matchText(text: string): TextMatch[] {
  const matches: TextMatch[] = [];
  for (const sentence of splitSentences(text)) matchSentence(sentence, matches);
  return matches;
}

function matchSentence(words: string[], out: TextMatch[]): void {
  const add = (match: OperationMatch, text: string) => out.push({ ...match, text, sentence: words });
  const has = (set: ReadonlySet<string>) => words.some((word) => set.has(word));
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    const pair = next === undefined ? undefined : COMMAND_PAIRS.get(`${word} ${next}`);
    if (pair !== undefined) add(pair, `${word} ${next}`);
    const direct = TEST_TOOLS.get(word) ?? TYPECHECK_WORDS.get(word);
    if (direct !== undefined) add(direct, word);
    const contextual = CONTEXTUAL_TOOLS.get(word);
    if (contextual !== undefined && has(contextual.context)) add(contextual.match, word);
    const formatTool = FORMAT_TOOLS.get(word);
    if (formatTool !== undefined) add(op("format", formatTool, "text:format-tool"), word);
    if (word === "git" && next !== undefined && (GIT_OPERATIONS.has(next) || next === "history")) {
      add(op("git", gitSubcategory(next), "text:git"), `git ${next}`);
    }
    if ((word === "diff" || word === "diffs") && words[i - 1] !== "git")
      add(op("git", "diff", "text:git"), word);
    if (GENERIC_TEST.has(word) && !(next !== undefined && NOT_A_TEST_RUN.has(next))) {
      add(op("test", "generic", "text:test-word", "all"), word);
    }
    if (COMPILE.has(word)) add(op("build", "compile", "text:compile", "all"), word);
    if (BUNDLE.has(word)) add(op("build", "bundle", "text:bundle", "frontend"), word);
    if (BUILD.has(word) && namesABuild(words, i))
      add(op("build", "generic", "text:build", "all"), phrase(words, i, 3));
    if (LINT.has(word)) add(op("format", "generic", "text:lint"), word);
    if (FORMAT.has(word) && objectWithin(words, i, FORMAT_OBJECTS, 2))
      add(op("format", "generic", "text:format"), phrase(words, i, 3));
    if (DEPS_VERBS.has(word) && objectWithin(words, i, DEPS_OBJECTS, OBJECT_WINDOW)) {
      const manager = words.find((w) => DEPS_MANAGERS.has(w)) ?? "generic";
      add(op("deps", manager, "text:deps"), phrase(words, i, OBJECT_WINDOW + 1));
    }
    if (DOCS_VERBS.has(word) && objectWithin(words, i, DOCS_OBJECTS, OBJECT_WINDOW)) {
      add(op("docs", "generate", "text:docs"), phrase(words, i, OBJECT_WINDOW + 1));
    }
  }
}

/** `build the project`, `rebuild the client`, `the build fails`; not `build a dashboard`. */
function namesABuild(words: string[], i: number): boolean {
  let j = i + 1;
  while (j < words.length && DETERMINERS.has(words[j] as string)) j++;
  const object = words[j];
  if (object !== undefined && BUILD_OBJECTS.has(object)) return true;
  const next = words[i + 1];
  if (next !== undefined && BUILD_STATES.has(next)) return true;
  const previous = words[i - 1];
  return previous === "run" || (previous === "the" && next === undefined);
}

function objectWithin(words: string[], i: number, objects: ReadonlySet<string>, window: number): boolean {
  for (let j = i + 1; j <= i + window && j < words.length; j++)
    if (objects.has(words[j] as string)) return true;
  return false;
}

function phrase(words: string[], i: number, length: number): string {
  return words.slice(i, i + length).join(" ");
}

/** Sentences as word lists; a sentence ends at `.`, `!`, `?`, `;` or a line break. */
export function splitSentences(text: string): string[][] {
  return text
    .split(/[.!?;]+(?=s|$)|\n+/)
    .map((sentence) => splitWords(sentence))
    .filter((words) => words.length > 0);
}
