import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cruise, type IForbiddenRuleType, type IViolation } from "dependency-cruiser";
import {
  type AllowedViolation,
  type BoundaryRule,
  CLI_MAX_LINES,
  CLI_SOURCE_FOLDER,
  IMPORT_FOLDERS,
  QUERY_FREE_FOLDERS,
} from "./boundary-rules.js";
import { findQueryBuilding } from "./query-building.js";
import { findUndeclaredImports } from "./undeclared-dependencies.js";

/** One breach of a boundary, with the files it involves (paths from the repository root). */
export interface BoundaryViolation {
  rule: BoundaryRule;
  files: string[];
  /** One line naming the file, the rule and what is wrong. */
  line: string;
}

export interface BoundaryReport {
  /** The violations not allowed, in file order. */
  violations: BoundaryViolation[];
  /** Allowed violations that no longer occur: their entries can go. */
  unneeded: AllowedViolation[];
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST = /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|\/)test-support\//;

/**
 * Checks a repository against the boundaries of `boundary-rules.ts`: no query or SQL outside `packages/db`,
 * no import of another package by relative path, no long CLI file, no import cycle, no import of a package
 * the importing package does not declare as a dependency. Violations listed in
 * `allowed` are let through.
 */
export async function checkBoundaries(
  root: string,
  allowed: readonly AllowedViolation[] = [],
): Promise<BoundaryReport> {
  const found = [...queriesOutsideDb(root), ...longCliFiles(root), ...(await importViolations(root))];
  const isAllowed = (violation: BoundaryViolation, entry: AllowedViolation) =>
    entry.rule === violation.rule && violation.files.every((file) => entry.files.includes(file));
  return {
    violations: found
      .filter((violation) => !allowed.some((entry) => isAllowed(violation, entry)))
      .sort((a, b) => a.line.localeCompare(b.line, "en", { numeric: true })),
    unneeded: allowed.filter((entry) => !found.some((violation) => isAllowed(violation, entry))),
  };
}

function queriesOutsideDb(root: string): BoundaryViolation[] {
  return QUERY_FREE_FOLDERS.flatMap((folder) => sourceFiles(root, folder)).flatMap((file) =>
    findQueryBuilding(file, readFileSync(join(root, file), "utf8")).map((finding) => ({
      rule: "query-outside-db" as const,
      files: [file],
      line: `${file}:${finding.line}: query-outside-db: ${finding.what}; queries belong in packages/db`,
    })),
  );
}

function longCliFiles(root: string): BoundaryViolation[] {
  return sourceFiles(root, CLI_SOURCE_FOLDER).flatMap((file) => {
    const lines = readFileSync(join(root, file), "utf8").split("\n").length - 1;
    if (lines <= CLI_MAX_LINES) return [];
    return [
      {
        rule: "long-cli-file" as const,
        files: [file],
        line: `${file}: long-cli-file: ${lines} lines, over ${CLI_MAX_LINES}; keep use cases out of the CLI`,
      },
    ];
  });
}

/** Non-test source files under a folder (`*` in it stands for each subfolder), paths from the root. */
function sourceFiles(root: string, folder: string): string[] {
  const [parent, rest] = folder.split("/*/");
  const folders =
    rest === undefined || parent === undefined
      ? [folder]
      : subfolders(join(root, parent)).map((name) => `${parent}/${name}/${rest}`);
  return folders
    .filter((each) => existsSync(join(root, each)))
    .flatMap((each) =>
      (readdirSync(join(root, each), { recursive: true }) as string[])
        .map((name) => `${each}/${name.split("\\").join("/")}`)
        .filter((file) => SOURCE.test(file) && !TEST.test(file) && !/(^|\/)(node_modules|dist)\//.test(file)),
    )
    .sort();
}

function subfolders(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory());
}

const IMPORT_RULES: IForbiddenRuleType[] = [
  {
    name: "relative-import-of-package",
    severity: "error",
    from: { path: "^(packages|apps)/([^/]+)/" },
    to: { path: "^(packages|apps)/[^/]+/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
  },
  {
    name: "relative-import-of-package",
    severity: "error",
    from: { pathNot: "^(packages|apps)/" },
    to: { path: "^(packages|apps)/[^/]+/", dependencyTypes: ["local"] },
  },
  { name: "import-cycle", severity: "error", from: {}, to: { circular: true } },
];

/** Cycles and relative imports of other packages, type-only imports and tests included. */
async function importViolations(root: string): Promise<BoundaryViolation[]> {
  const folders = IMPORT_FOLDERS.filter((folder) => existsSync(join(root, folder)));
  if (folders.length === 0) return [];
  const result = await cruise(folders, {
    baseDir: root,
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: { path: ["(^|/)node_modules/", "(^|/)dist/"] },
    exclude: { path: ["(^|/)fixtures/"] },
    ruleSet: { forbidden: IMPORT_RULES },
  });
  if (typeof result.output === "string") throw new Error("dependency-cruiser returned text, not a result");
  const cycles = new Map<string, BoundaryViolation>();
  const violations: BoundaryViolation[] = findUndeclaredImports(root, result.output.modules).map((found) => ({
    rule: "undeclared-dependency",
    files: [found.file],
    line: `${found.file}: undeclared-dependency: imports ${found.imported}, which ${found.manifest} ${found.devOnly ? "declares as a devDependency only" : "does not declare"}; add it to dependencies`,
  }));
  for (const violation of result.output.summary.violations) {
    if (violation.rule.name === "import-cycle") {
      const cycle = cycleOf(violation);
      cycles.set(cycle.join(" -> "), {
        rule: "import-cycle",
        files: cycle.slice(0, -1),
        line: `${cycle[0]}: import-cycle: ${cycle.join(" -> ")}`,
      });
    } else
      violations.push({
        rule: "relative-import-of-package",
        files: [violation.from],
        line: `${violation.from}: relative-import-of-package: imports ${violation.to}; import the package by its name`,
      });
  }
  return [...violations, ...cycles.values()];
}

/** A cycle's files from its first in sort order back to it, so that each cycle is named once. */
function cycleOf(violation: IViolation): string[] {
  const files = [violation.from, ...(violation.cycle ?? []).map((step) => step.name)];
  if (files.at(-1) === files[0]) files.pop();
  const start = files.indexOf([...files].sort()[0] ?? violation.from);
  const rotated = [...files.slice(start), ...files.slice(0, start)];
  return [...rotated, rotated[0] ?? violation.from];
}
