import { open, rm, truncate } from "node:fs/promises";
import { errorCode } from "../error-code.js";

/** What is at an SQLite path before anything opens it. */
export type SqliteFileState =
  | { readonly kind: "missing" }
  | { readonly kind: "empty" }
  | { readonly kind: "sqlite" }
  | { readonly kind: "other"; readonly reason: string };

/** The 16 bytes every SQLite database file starts with. */
export const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

/** What is at a path, read without opening it as a database. */
export type FileStart =
  | { readonly kind: "missing" }
  | { readonly kind: "directory" }
  | { readonly kind: "file"; readonly size: number; readonly start: Buffer };

/**
 * Reads at most the first `length` bytes of the file at `path` (fewer when it is shorter) and its size; a
 * path with nothing there, or a directory, is said as such. Other failures to read it are thrown.
 */
export async function readFileStart(path: string, length: number): Promise<FileStart> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { kind: "missing" };
    if (errorCode(error) === "EISDIR") return { kind: "directory" };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: "directory" };
    const start = Buffer.alloc(length);
    const { bytesRead } = await handle.read(start, 0, length, 0);
    return { kind: "file", size: info.size, start: start.subarray(0, bytesRead) };
  } catch (error) {
    if (errorCode(error) === "EISDIR") return { kind: "directory" };
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Looks at a path without opening it as a database: only the first 16 bytes are read, so a file that turns
 * out not to be SQLite is left exactly as it was (no journal, no `-wal`, no `-shm`).
 */
export async function inspectSqliteFile(path: string): Promise<SqliteFileState> {
  const file = await readFileStart(path, SQLITE_MAGIC.length);
  if (file.kind === "missing") return { kind: "missing" };
  if (file.kind === "directory") return { kind: "other", reason: "it is a directory" };
  if (file.size === 0) return { kind: "empty" };
  if (file.start.equals(SQLITE_MAGIC)) return { kind: "sqlite" };
  return { kind: "other", reason: "its header is not 'SQLite format 3'" };
}

/**
 * Undoes what opening a database did to a path that was `missing` (delete it) or `empty` (empty it
 * again), including the `-wal`, `-shm` and `-journal` files SQLite created beside it.
 */
export async function restoreSqliteFile(path: string, before: "missing" | "empty"): Promise<void> {
  await Promise.all(
    ["-wal", "-shm", "-journal"].map((suffix) => rm(`${path}${suffix}`, { force: true }).catch(() => {})),
  );
  if (before === "missing") await rm(path, { force: true }).catch(() => {});
  else await truncate(path, 0).catch(() => {});
}
