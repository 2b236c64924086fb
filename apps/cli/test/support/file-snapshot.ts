import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The sha256 of a file's bytes. */
export function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Every file of a directory with the sha256 of its bytes: equal snapshots mean nothing was created,
 * deleted or modified there (an SQLite `-wal` / `-shm` / `-journal` included).
 */
export function snapshotDirectory(directory: string): Record<string, string> {
  const files = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  return Object.fromEntries(files.map((name) => [name, sha256(join(directory, name))]));
}
