import type { Random } from "./random.js";
import { drawNoun, type WorkKind } from "./requests.js";

type Weighted = readonly (readonly [string, number])[];

/** The operations each kind of work keeps running: tests, type checks, builds, formatters, installs. */
const WORK_COMMANDS: Readonly<Record<WorkKind, Weighted>> = {
  backend: [
    ["cd app/server && uv run pytest -q", 10],
    ["cd app/server && uv run pytest tests/test_{module}.py -q", 6],
    ["cd app/server && uv run pytest -x --tb=short", 3],
    ["cd app/server && uv run ruff check .", 3],
    ["cd app/server && uv run ruff format .", 2],
    ["cd app/server && uv sync", 1],
    ["cd app/server && uv run python -m mypy .", 1],
  ],
  frontend: [
    ["cd app/client && npx vitest run", 8],
    ["cd app/client && npx tsc --noEmit", 8],
    ["npx tsc --noEmit", 4],
    ["cd app/client && npm run build", 5],
    ["npm run build", 3],
    ["cd app/client && npx prettier --write src", 2],
    ["cd app/client && npx eslint src --fix", 2],
  ],
  fullstack: [
    ["cd app/server && uv run pytest -q", 6],
    ["cd app/client && npx tsc --noEmit", 5],
    ["cd app/client && npx vitest run", 4],
    ["cd app/client && npm run build", 3],
    ["cd app/server && uv run ruff check .", 1],
  ],
  deps: [
    ["npm install", 6],
    ["cd app/client && npm install", 5],
    ["npm install {package}@latest", 3],
    ["cd app/server && uv sync", 4],
    ["cd app/server && uv lock --upgrade", 2],
    ["npm outdated", 3],
    ["cd app/client && npm run build", 3],
    ["cd app/client && npx vitest run", 2],
  ],
  docs: [
    ["ls docs", 3],
    ["npx prettier --write README.md docs", 2],
    ["cat README.md", 2],
  ],
  chore: [
    ["npx prettier --write .", 6],
    ["cd app/client && npx eslint src", 4],
    ["cd app/server && uv run ruff check . --fix", 3],
    ["npx tsc --noEmit", 3],
    ["cd app/server && uv run pytest -q", 2],
  ],
};

/** What every run does now and then, whatever the request: look around and read git. */
const ROUTINE_COMMANDS: Weighted = [
  ["git status", 8],
  ["git diff --stat", 6],
  ["ls -la", 5],
  ["git diff", 3],
  ["git log --oneline -10", 3],
  ["pwd", 1],
  ["ls app/client/src/components", 2],
  ["ls app/server", 2],
  ["cat package.json", 1],
  ["git add -A && git commit -m 'wip'", 2],
];

/**
 * A Bash command for a run: mostly the operations of its kind of work (`share` of the time), else routine
 * looking around.
 */
export function drawShellCommand(random: Random, kind: WorkKind, share = 0.6): string {
  const command = random.chance(share)
    ? random.weighted(WORK_COMMANDS[kind])
    : random.weighted(ROUTINE_COMMANDS);
  return command.replace(/\{(module|package)\}/g, (_, name: "module" | "package") => drawNoun(random, name));
}
