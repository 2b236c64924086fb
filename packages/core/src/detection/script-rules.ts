import { type OperationMatch, op } from "./operation.js";

const TYPECHECK_SCRIPT = /^(?:type-?check|check-?types|types?:check|check:types|tsc)(?:[:_.-].*)?$/;
const TEST_PARTS = new Set(["test", "tests", "e2e", "unit", "spec", "coverage", "t"]);
const LINT_PARTS = new Set(["lint", "eslint", "stylelint"]);
const FORMAT_PARTS = new Set(["format", "fmt", "prettier"]);
const BUILD_PARTS = new Set(["build", "compile"]);
const DOCS_PARTS = new Set(["docs", "doc", "typedoc"]);

/**
 * Classifies a package or task-runner script name (`npm run test:unit`, `make lint`, `npm run check:format`).
 * What a script runs is unknown, so the subcategory is `generic`, except type checks, which are `typecheck`.
 * The first part that names an operation decides: `pages:build` builds, `lint:fix` lints, `dev` is nothing.
 */
export function matchScriptName(name: string, rulePrefix: string): OperationMatch | undefined {
  const script = name.toLowerCase();
  if (TYPECHECK_SCRIPT.test(script)) return op("build", "typecheck", `${rulePrefix}:typecheck`, "all");
  for (const part of script.split(/[:_.-]/)) {
    if (TEST_PARTS.has(part)) return op("test", "generic", `${rulePrefix}:test`, "all");
    if (LINT_PARTS.has(part)) return op("format", "generic", `${rulePrefix}:lint`);
    if (FORMAT_PARTS.has(part)) return op("format", "generic", `${rulePrefix}:format`);
    if (BUILD_PARTS.has(part)) return op("build", "generic", `${rulePrefix}:build`, "all");
    if (DOCS_PARTS.has(part)) return op("docs", "generate", `${rulePrefix}:docs`);
  }
  return undefined;
}
