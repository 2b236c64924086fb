import { isAbsolute, relative } from "node:path";
import type { Tally } from "@patternloop/core";

/**
 * The directory the script runs the command in, relative to the project root; null for the root. It is the
 * directory most of the command's runs used, when at least half did; a path of another machine (absolute and
 * outside the project) cannot be that directory here, so the next one is tried.
 */
export function usualDirectory(root: string, directories: readonly Tally[], runs: number): string | null {
  for (const { name, count } of directories) {
    if (count * 2 < runs) return null;
    if (isAbsolute(name) || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith("~")) {
      const inside = relative(root, name);
      if (inside === "") return null;
      if (!inside.startsWith("..") && !isAbsolute(inside)) return inside;
      continue;
    }
    const clean = name.replace(/^\.\//, "").replace(/\/+$/, "");
    return clean === "" || clean === "." ? null : clean;
  }
  return null;
}
