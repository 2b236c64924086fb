import { access } from "node:fs/promises";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import type { SqliteLocation } from "../database-url.js";
import { errorCode, errorMessage } from "../error-code.js";
import type { OpenedDatabase } from "../opened-database.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import type { Database } from "../schema/database.js";
import { ImmediateSqliteDialect } from "./immediate-sqlite-dialect.js";
import { hasLittleRoom } from "./little-room.js";
import { readOnlyCause } from "./read-only-cause.js";
import { inspectSqliteFile, restoreSqliteFile } from "./sqlite-file.js";
import { sqliteStorageError } from "./sqlite-storage-error.js";
import { cacheStatements } from "./statement-cache.js";
import type { LockWait } from "./wait-for-lock.js";

/** How long a connection waits for another process's write lock before failing with `SQLITE_BUSY`. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  readonly create: boolean;
  readonly requireHistory: boolean;
  readonly lockWait?: LockWait;
}

/**
 * Opens an SQLite file (or `:memory:`) after checking, without modifying anything, that it is what the
 * caller asked for, with `foreign_keys = ON`, `synchronous = NORMAL` and a busy timeout; `afterMigrate`
 * switches it to WAL. When a check fails nothing has been created or changed.
 */
export async function openSqlite(
  location: SqliteLocation,
  options: OpenSqliteOptions,
): Promise<OpenedDatabase> {
  const { path } = location;
  const before = path === ":memory:" ? "memory" : await inspect(path);
  if (before === "missing" && !options.create) {
    throw new PatternloopDbError("file_missing", `no SQLite database at ${path}`);
  }
  if (before === "empty" && !options.create) {
    throw new PatternloopDbError("not_sqlite", `${path} is an empty file, not an SQLite database`);
  }
  if (options.requireHistory && before !== "sqlite") {
    throw missingHistory(path);
  }
  if (before === "missing") await assertDirectory(path);

  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(path, {
      fileMustExist: before === "sqlite",
      timeout: SQLITE_BUSY_TIMEOUT_MS,
    });
  } catch (cause) {
    if (before === "missing" || before === "empty") await restoreSqliteFile(path, before);
    throw toOpenError(cause, location);
  }
  const discard = async (): Promise<void> => {
    database.close();
    if (before === "missing" || before === "empty") await restoreSqliteFile(path, before);
  };
  cacheStatements(database);
  try {
    database.pragma("foreign_keys = ON");
    // Reading the schema first surfaces a damaged file before migrations write to it.
    const history = database
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'workflow_history'")
      .get();
    if (options.requireHistory && history === undefined) throw missingHistory(path);
    database.pragma("synchronous = NORMAL");
    // A file this call creates is ours from the start: in WAL before any migration, so that processes
    // creating it at the same moment never hold rollback-journal locks that a later switch would wait on.
    if (before === "missing" || before === "empty") switchToWal(database);
  } catch (error) {
    await discard();
    throw toOpenError(error, location);
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database, url: location.url, lockWait: options.lockWait }),
  });
  const copyInMemory =
    path === ":memory:"
      ? undefined
      : async (): Promise<OpenedDatabase> => {
          let copy: BetterSqlite3.Database;
          try {
            // A consistent read of the file (its write-ahead log included) that never writes to it.
            copy = new BetterSqlite3(database.serialize());
          } catch (error) {
            throw toOpenError(error, location);
          } finally {
            await db.destroy();
          }
          copy.pragma("foreign_keys = ON");
          return inMemory(copy, location);
        };
  return {
    db,
    engine: "sqlite",
    url: location.url,
    migrationSchema: undefined,
    async afterMigrate() {
      // Persistent and a write to the file header, so it waits until the file is known to be ours. Switching
      // needs the file to itself; when another process opening the same new file has switched it already,
      // asking again would only queue behind that process's work for nothing.
      try {
        if (database.pragma("journal_mode", { simple: true }) !== "wal")
          database.pragma("journal_mode = WAL");
      } catch (error) {
        throw toOpenError(error, location);
      }
    },
    async discard() {
      await db.destroy();
      await discard();
    },
    copyInMemory,
  };
}

/** An in-memory database (a copy of a file) opened like a file: nothing of it reaches the disk. */
function inMemory(database: BetterSqlite3.Database, location: SqliteLocation): OpenedDatabase {
  cacheStatements(database);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database, url: location.url }) });
  return {
    db,
    engine: "sqlite",
    url: location.url,
    migrationSchema: undefined,
    async afterMigrate() {},
    async discard() {
      await db.destroy();
    },
  };
}

async function inspect(path: string): Promise<"missing" | "empty" | "sqlite"> {
  let state: Awaited<ReturnType<typeof inspectSqliteFile>>;
  try {
    state = await inspectSqliteFile(path);
  } catch (cause) {
    throw new PatternloopDbError("open_failed", `cannot read ${path}: ${errorMessage(cause)}`, { cause });
  }
  if (state.kind === "other") {
    throw new PatternloopDbError("not_sqlite", `${path} is not an SQLite database (${state.reason})`);
  }
  return state.kind;
}

async function assertDirectory(path: string): Promise<void> {
  const directory = dirname(path);
  try {
    await access(directory);
  } catch (cause) {
    throw new PatternloopDbError(
      "file_missing",
      `cannot create SQLite database ${path}: directory ${directory} does not exist`,
      { cause },
    );
  }
}

function missingHistory(path: string): PatternloopDbError {
  return new PatternloopDbError("missing_workflow_history", `${path} has no workflow_history table`);
}

function toOpenError(error: unknown, { path, url }: SqliteLocation): PatternloopDbError {
  if (error instanceof PatternloopDbError) return error;
  const code = errorCode(error);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new PatternloopDbError(
      "not_sqlite",
      `${path} is not a valid SQLite database (${errorMessage(error)})`,
      {
        cause: error,
      },
    );
  }
  // A busy lock, a full disk (no room for the -shm file is an I/O error) or a read-only file say so.
  const storage = sqliteStorageError(error, url, {
    busyTimeoutMs: () => SQLITE_BUSY_TIMEOUT_MS,
    diskFull: () => hasLittleRoom(path),
  });
  if (storage !== undefined && storage.code !== "open_failed" && storage.code !== "io_error") return storage;
  // SQLite says only "unable to open database file" when the file, or the directory where its -wal and
  // -shm files must be created, cannot be written (a read-only mount): the file system is asked why.
  const readOnly = readOnlyCause(path);
  if (readOnly !== undefined)
    return new PatternloopDbError(
      "read_only",
      `cannot open SQLite database ${path}: ${readOnly} (${errorMessage(error)})`,
      { cause: error },
    );
  if (storage?.code === "io_error") return storage;
  return new PatternloopDbError(
    "open_failed",
    `cannot open SQLite database ${path}: ${errorMessage(error)}`,
    {
      cause: error,
    },
  );
}

/** Puts the file in WAL mode unless it is already (a switch needs the file to itself, even when it changes nothing). */
function switchToWal(database: BetterSqlite3.Database): void {
  if (database.pragma("journal_mode", { simple: true }) !== "wal") database.pragma("journal_mode = WAL");
}
