import { type OperationMatch, op, table } from "./operation.js";

/** Words of a template name that say nothing about the operation (`adw_test_iso`). */
const NOISE = new Set([
  "adw",
  "iso",
  "workflow",
  "wf",
  "agent",
  "agents",
  "run",
  "runner",
  "phase",
  "step",
  "job",
  "task",
  "the",
  "and",
]);
/**
 * Words that make a template a whole lifecycle (plan, implement, patch, ship…), which is never a pattern.
 * `build` is here because in ADW templates it means "implement the plan", not "compile".
 */
const LIFECYCLE = new Set([
  "sdlc",
  "plan",
  "planner",
  "planning",
  "patch",
  "zte",
  "ship",
  "implement",
  "implementor",
  "build",
  "builder",
  "review",
  "reviewer",
  "classifier",
  "classify",
  "generator",
  "committer",
  "commit",
  "full",
  "chore",
  "feature",
  "bug",
  "fix",
  "resolver",
  "pr",
  "issue",
  "orchestrator",
  "pipeline",
  "e2e-flow",
]);
/**
 * Single operations a template can name. None for documentation: a documentation phase (`adw_document_iso`)
 * has the agent write the docs, which no script can do.
 */
const OPERATIONS = table<OperationMatch>({
  test: op("test", "generic", "template:test", "all"),
  tests: op("test", "generic", "template:test", "all"),
  tester: op("test", "generic", "template:test", "all"),
  pytest: op("test", "pytest", "template:test", "backend"),
  lint: op("format", "generic", "template:lint"),
  format: op("format", "generic", "template:format"),
  typecheck: op("build", "typecheck", "template:typecheck", "all"),
  compile: op("build", "compile", "template:compile", "all"),
  deps: op("deps", "generic", "template:deps"),
  install: op("deps", "generic", "template:deps"),
});

/**
 * The operation a template names, only when it names exactly one and is not a lifecycle flow:
 * `adw_test_iso` → test, `adw_sdlc_iso` / `adw_plan_build_test_iso` → nothing.
 */
export function matchTemplate(template: string): OperationMatch | undefined {
  const words = template
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "" && !NOISE.has(word));
  if (words.some((word) => LIFECYCLE.has(word))) return undefined;
  const operations = new Map<string, OperationMatch>();
  for (const word of words) {
    const match = OPERATIONS.get(word);
    if (match !== undefined) operations.set(`${match.category}:${match.subcategory}`, match);
  }
  return operations.size === 1 ? [...operations.values()][0] : undefined;
}
