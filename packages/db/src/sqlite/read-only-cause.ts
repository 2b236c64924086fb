import { accessSync, constants } from "node:fs";
import { dirname } from "node:path";
import { errorCode } from "../error-code.js";

/**
 * Why an SQLite file cannot be written, when that is why SQLite failed: its file system is mounted
 * read-only, or the file or its directory (where the `-wal` and `-shm` files go) refuses writes. SQLite
 * itself says only "unable to open database file" or "disk I/O error" then. Undefined when both can be
 * written, or when that cannot be told.
 *
 * @example readOnlyCause("/mnt/ro/h.sqlite") // "its file system is read-only"
 */
export function readOnlyCause(path: string): string | undefined {
  if (path === "" || path === ":memory:") return undefined;
  const directory = dirname(path);
  const causes = [
    [path, "its file system is read-only", "it is read-only (no permission to write it)"],
    [
      directory,
      `directory ${directory} is on a read-only file system`,
      `directory ${directory} is read-only (no permission to create files in it)`,
    ],
  ] as const;
  for (const [target, readOnlyMount, noPermission] of causes) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      if (code === "EROFS") return readOnlyMount;
      if (code === "EACCES" || code === "EPERM") return noPermission;
    }
  }
  return undefined;
}
