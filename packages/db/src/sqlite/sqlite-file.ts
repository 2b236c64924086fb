import { open, rm, truncate } from "node:fs/promises";
import { errorCode } from "../error-code.js";

/** What is at an SQLite path before anything opens it. */
export type SqliteFileState =
  | { readonly kind: "missing" }
  | { readonly kind: "empty" }
  | { readonly kind: "sqlite" }
  | { readonly kind: "other"; readonly reason: string };

const HEADER = Buffer.from("SQLite format 3\0", "latin1");

/**
 * Looks at a path without opening it as a database: only the first 16 bytes are read, so a file that turns
 * out not to be SQLite is left exactly as it was (no journal, no `-wal`, no `-shm`).
 */
export async function inspectSqliteFile(path: string): Promise<SqliteFileState> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { kind: "missing" };
    if (errorCode(error) === "EISDIR") return { kind: "other", reason: "it is a directory" };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: "other", reason: "it is a directory" };
    if (info.size === 0) return { kind: "empty" };
    const header = Buffer.alloc(HEADER.length);
    const { bytesRead } = await handle.read(header, 0, HEADER.length, 0);
    if (bytesRead === HEADER.length && header.equals(HEADER)) return { kind: "sqlite" };
    return { kind: "other", reason: "its header is not 'SQLite format 3'" };
  } catch (error) {
    if (errorCode(error) === "EISDIR") return { kind: "other", reason: "it is a directory" };
    throw error;
  } finally {
    await handle.close();
  }
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
