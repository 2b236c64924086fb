import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A file of `../shared/data` beside the repository (or of `$PATTERNLOOP_SHARED_DATA`), when it is there: the
 * real-world data the opt-in tests read. As `scripts/shared-data.ts`, which this package cannot import.
 */
export function sharedDataFile(relative: string): { path: string; present: boolean } {
  const root =
    process.env.PATTERNLOOP_SHARED_DATA ??
    fileURLToPath(new URL("../../../../../shared/data", import.meta.url));
  const path = `${root}/${relative}`;
  return { path, present: existsSync(path) };
}
