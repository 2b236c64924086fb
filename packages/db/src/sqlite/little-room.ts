import { statfsSync } from "node:fs";
import { dirname } from "node:path";

/** Below this much free space, an I/O error of SQLite is taken for the full disk it then almost surely is. */
const LITTLE_ROOM_BYTES = 1 << 20;

/** Whether the file system that holds `file` has (almost) no room left; false when that cannot be told. */
export function hasLittleRoom(file: string): boolean {
  if (file === "" || file === ":memory:") return false;
  try {
    const { bavail, bsize } = statfsSync(dirname(file));
    return bavail * bsize < LITTLE_ROOM_BYTES;
  } catch {
    return false;
  }
}
