import { accessSync, constants } from "node:fs";
import { dirname } from "node:path";
import { errorCode } from "../error-code.js";

/**
 * Why an SQLite file cannot be written, when that is why SQLite failed: its file system is mounted
 * read-only, or the file or its directory (where the `-wal` and `-shm` files go) refuses writes. SQLite
 * itself says only "unable to open database file" or "disk I/O error" then. Undefined when both can be
 * written, or when that cannot be told.
 *
 * @example readOnlyCause("/mnt/ro/h.sqlite") // "the file system of /mnt/ro/h.sqlite is read-only"
 */
export function readOnlyCause(path: string): string | undefined {
  if (path === "" || path === ":memory:") return undefined;
  for (const [target, what] of [
    [path, path],
    [dirname(path), `directory ${dirname(path)}`],
  ] as const) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      if (code === "EROFS") return `the file system of ${what} is read-only`;
      if (code === "EACCES" || code === "EPERM") return `${what} is read-only (no permission to write it)`;
    }
  }
  return undefined;
}
