import { rename, rm } from "node:fs/promises";
import { type Kysely, sql } from "kysely";
import { errorCode } from "../error-code.js";
import type { Database } from "../schema/database.js";
import { type FileStart, readFileStart, SQLITE_MAGIC } from "./sqlite-file.js";

/**
 * The SQLite `application_id` of a database `patternloop demo` built ("pldm" in ASCII). It lives in the
 * file's header, so it can be read without opening the file as a database, and no other command sets it.
 */
export const DEMO_APPLICATION_ID = 0x706c646d;

/** What is at the path a demo database is to be written to. */
export type DemoTarget =
  | { readonly kind: "missing" }
  | { readonly kind: "demo" }
  | { readonly kind: "other"; readonly reason: string };

/** Marks an SQLite database as one the demo built, so that a later demo may replace it. */
export async function markDemoDatabase(db: Kysely<Database>): Promise<void> {
  // A pragma takes no bound parameter; the value is a constant.
  await sql.raw(`pragma application_id = ${DEMO_APPLICATION_ID}`).execute(db);
}

/**
 * Looks at a path, reading only the first 72 bytes: is it free, a database the demo built, or anything
 * else (a directory, a text file, someone's own database), which the demo must never replace.
 */
export async function inspectDemoTarget(path: string): Promise<DemoTarget> {
  let file: FileStart;
  try {
    file = await readFileStart(path, HEADER_BYTES);
  } catch (error) {
    return { kind: "other", reason: `it cannot be read (${errorCode(error) ?? "unknown error"})` };
  }
  if (file.kind === "missing") return { kind: "missing" };
  if (file.kind === "directory") return { kind: "other", reason: "it is a directory" };
  const header = file.start;
  if (header.length < HEADER_BYTES || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC))
    return { kind: "other", reason: "it is not an SQLite database" };
  if (header.readUInt32BE(APPLICATION_ID_OFFSET) !== DEMO_APPLICATION_ID)
    return { kind: "other", reason: "it is an SQLite database the demo did not build" };
  return { kind: "demo" };
}

/**
 * Puts a finished, closed SQLite file in place of another in one rename, so the target is at every moment
 * either the old database or the new one. The target's `-wal`, `-shm` and `-journal` go first: left beside
 * the new file, SQLite would replay the old log into it.
 */
export async function replaceSqliteFile(from: string, to: string): Promise<void> {
  await removeCompanions(to);
  await rename(from, to);
}

/** Removes an SQLite file and its `-wal`, `-shm` and `-journal` files, those that exist. */
export async function removeSqliteFile(path: string): Promise<void> {
  await removeCompanions(path);
  await rm(path, { force: true });
}

async function removeCompanions(path: string): Promise<void> {
  for (const suffix of ["-wal", "-shm", "-journal"]) await rm(`${path}${suffix}`, { force: true });
}

/** Where the header keeps the application id (a big-endian 32-bit integer), and the header's length up to it. */
const APPLICATION_ID_OFFSET = 68;
const HEADER_BYTES = 72;
