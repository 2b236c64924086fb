import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A file of `../shared/data` (or of `$PATTERNLOOP_SHARED_DATA`), or undefined when that folder is absent. */
export function sharedDataFile(relative: string): string | undefined {
  const root =
    process.env.PATTERNLOOP_SHARED_DATA ?? fileURLToPath(new URL("../../shared/data", import.meta.url));
  return existsSync(root) ? `${root}/${relative}` : undefined;
}
