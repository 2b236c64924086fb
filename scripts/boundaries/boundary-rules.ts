/**
 * The storage and package boundaries `pnpm test` holds the code to (see `check-boundaries.ts`), and the
 * violations it lets through for now.
 */

/** What each kind of violation is called in the check's output and in {@link TEMPORARILY_ALLOWED}. */
export type BoundaryRule =
  /** A query built, or SQL written, outside `packages/db`. */
  | "query-outside-db"
  /** An import of another package's files by relative path instead of by the package's name. */
  | "relative-import-of-package"
  /** A CLI source file long enough to hold more than parsing, calling and printing. */
  | "long-cli-file"
  /** Modules that import each other, directly or around a loop. */
  | "import-cycle"
  /** A package's shipped source importing a package its package.json does not list in `dependencies`. */
  | "undeclared-dependency";

/** Folders (from the repository root) whose non-test files must leave queries to `packages/db`. */
export const QUERY_FREE_FOLDERS = ["packages/validator/src", "packages/dashboard/src", "apps/*/src"] as const;

/** The folder whose non-test source files are held to {@link CLI_MAX_LINES}. */
export const CLI_SOURCE_FOLDER = "apps/cli/src";
export const CLI_MAX_LINES = 200;

/** Folders (from the repository root) whose imports are checked for cycles and relative imports. */
export const IMPORT_FOLDERS = ["packages", "apps", "scripts", "bench"] as const;

/** Kysely builder methods that start or run a query. */
export const QUERY_METHODS = [
  "selectFrom",
  "selectNoFrom",
  "insertInto",
  "replaceInto",
  "updateTable",
  "deleteFrom",
  "mergeInto",
  "executeQuery",
] as const;

/** A violation let through: every file it involves must be listed. */
export interface AllowedViolation {
  rule: BoundaryRule;
  files: readonly string[];
  /** Who is removing it, so that the entry goes once they are merged. */
  why: string;
}

/**
 * TEMPORARY. Violations being removed on other branches of issue 13 while this check was written; the lead
 * engineer empties this list once those branches are merged (the check then names an entry that is no longer
 * needed). Do not add to it: fix the code instead.
 */
export const TEMPORARILY_ALLOWED: readonly AllowedViolation[] = [];
