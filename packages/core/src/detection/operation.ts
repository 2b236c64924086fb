import type { Category, Target } from "../signature.js";

/** What one command, phrase or template was recognised as, before its target is settled. */
export interface OperationMatch {
  category: Category;
  subcategory: string;
  /** test / build only: the target the tool suggests when no path or word says otherwise. */
  defaultTarget?: Target;
  /** Which rule matched, so a user can ask why (`command:pytest`, `script:typecheck`, `request:tool-word`). */
  rule: string;
}

export const op = (
  category: Category,
  subcategory: string,
  rule: string,
  defaultTarget?: Target,
): OperationMatch =>
  defaultTarget === undefined
    ? { category, subcategory, rule }
    : { category, subcategory, rule, defaultTarget };

/**
 * A lookup table from a literal object. A `Map`, not the object itself, so that words such as
 * `constructor` or `toString` in a request find nothing instead of `Object.prototype` members.
 */
export const table = <T>(entries: Record<string, T>): ReadonlyMap<string, T> =>
  new Map(Object.entries(entries));

/** Git subcommands tracked as `git:<subcommand>:summary` (`switch` is recorded as `checkout`). */
export const GIT_OPERATIONS: ReadonlySet<string> = new Set([
  "status",
  "diff",
  "log",
  "show",
  "add",
  "commit",
  "push",
  "pull",
  "fetch",
  "checkout",
  "switch",
  "branch",
  "stash",
  "merge",
  "rebase",
  "restore",
  "reset",
  "tag",
  "blame",
  "worktree",
  "cherry-pick",
  "ls-files",
  "remote",
  "rev-parse",
]);

/** The subcategory a git subcommand is recorded under: `switch` is a `checkout`, `history` a `log`. */
export const gitSubcategory = (subcommand: string): string =>
  subcommand === "switch" ? "checkout" : subcommand === "history" ? "log" : subcommand;
