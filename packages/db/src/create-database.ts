import type { Kysely } from "kysely";
import { parseDatabaseUrl } from "./database-url.js";
import { assertUpToDate, isUpToDate, migrateToLatest } from "./migrate-to-latest.js";
import type { DatabaseEngine, OpenedDatabase } from "./opened-database.js";
import { PatternloopDbError } from "./patternloop-db-error.js";
import type { Database } from "./schema/database.js";
import type { SchemaUpgrade } from "./schema-upgrade.js";
import { openSqlite } from "./sqlite/open-sqlite.js";
import type { LockWait } from "./sqlite/wait-for-lock.js";
import { startWalCheckpointer, type WalCheckpointerOptions } from "./sqlite/wal-checkpointer.js";

/** Options of {@link createDatabase}. */
export interface CreateDatabaseOptions {
  /**
   * Create a missing SQLite file (or an empty one, or the PostgreSQL schema named by `schema`). Default
   * `false`, so that a read command pointed at a mistyped path fails with `file_missing` instead of
   * silently starting an empty history.
   */
  readonly create?: boolean;
  /**
   * Refuse, with `missing_workflow_history`, a database that has no `workflow_history` table yet: for
   * commands that analyse an existing history. Checked before anything is migrated. Default `false`.
   */
  readonly requireHistory?: boolean;
  /**
   * PostgreSQL only: the schema to use (created with `create`); the same as the URL parameter
   * `?schema=name`, which it overrides. Lower-case letters, digits and `_`.
   */
  readonly schema?: string;
  /**
   * Bring the schema up to date (default `true`). With `false` the database is only read: nothing is
   * migrated or switched to WAL. A SQLite file whose schema is not the latest (an ADW history never
   * adopted) is then read into a private in-memory copy, which is upgraded instead (`copy` is true): the
   * file is never written, and whatever is written to the copy is gone on `close()`. A PostgreSQL database
   * whose schema is not the latest is refused with `needs_upgrade`. For commands that promise to write
   * nothing, such as `analyze` and `backfill --dry-run`.
   */
  readonly migrate?: boolean;
  /**
   * SQLite files only (ignored elsewhere): checkpoint the write-ahead log from a worker thread (see
   * {@link startWalCheckpointer}) instead of inside the commits of this connection, for a server whose
   * thread must not stall. Stopped by `close()`.
   */
  readonly backgroundCheckpoints?: Pick<WalCheckpointerOptions, "intervalMs" | "onError">;
  /**
   * SQLite only: how to wait (up to 10 s) for another process's write lock. `blocking` (the default) waits
   * inside SQLite, which stalls the thread; `async` waits between timers and serves other queries meanwhile
   * (reads never wait for the lock), for a server that must keep answering while another process writes;
   * `{ endedBy: signal }` is `async` with every wait given up at once when the signal aborts.
   */
  readonly lockWait?: LockWait;
}

/** An open, migrated patternloop database. */
export interface PatternloopDatabase {
  /** The query builder. On SQLite, `db.transaction()` begins `IMMEDIATE` (see `ImmediateSqliteDriver`). */
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** What was opened: `sqlite:<absolute path>`, `:memory:`, or the PostgreSQL URL with its password as `***`. */
  readonly url: string;
  /**
   * What opening changed in tables that existed before (adopting an ADW history renames tables and adds
   * columns), undefined when it changed none; a command says so. Also set on an in-memory `copy`, where it
   * says what a writing command would change.
   */
  readonly upgrade: SchemaUpgrade | undefined;
  /** True when this is an upgraded in-memory copy of a file that is not on the latest schema (see `migrate`). */
  readonly copy: boolean;
  /** Closes the SQLite file or ends the PostgreSQL pool. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the database a URL names and migrates it to the latest schema (creating the tables, or adopting an
 * ADW `workflow_history` table in place).
 *
 * URLs: a file path, `sqlite:path`, `sqlite://path` (`sqlite:///abs/path`), `file:path`,
 * `file:///abs/path`, `:memory:`, `postgres://user:pass@host:5432/db` or `postgresql://…`, optionally with
 * `?schema=name`. SQLite files run in WAL mode with `foreign_keys = ON`, `synchronous = NORMAL` and a 10 s
 * busy timeout. PostgreSQL `bigint` and `numeric` values come back as JS numbers, as on SQLite.
 *
 * Within one process, open a file once and share the handle: better-sqlite3 is synchronous, so a second
 * handle to the same file waiting for the first one's write lock would block the event loop the first one
 * needs to finish.
 *
 * When opening fails, nothing was created or changed: no file, no `-wal` / `-shm`, no migration.
 *
 * @throws {@link PatternloopDbError} with code `unknown_scheme`, `invalid_url`, `file_missing`, `not_sqlite`,
 * `schema_missing`, `missing_workflow_history`, `unreachable`, `open_failed` or `migration_failed`.
 *
 * @example
 * const { db, close } = await createDatabase("sqlite:history.db", { create: true });
 * const runs = await db.selectFrom("workflow_history").selectAll().execute();
 * await close();
 */
export async function createDatabase(
  url: string,
  options: CreateDatabaseOptions = {},
): Promise<PatternloopDatabase> {
  const location = parseDatabaseUrl(url);
  const create = options.create ?? false;
  const requireHistory = options.requireHistory ?? false;
  let opened: OpenedDatabase;
  if (location.engine === "sqlite") {
    if (options.schema !== undefined) {
      throw new PatternloopDbError(
        "invalid_url",
        `the schema option applies to PostgreSQL only, not ${location.url}`,
      );
    }
    opened = await openSqlite(location, { create, requireHistory, lockWait: options.lockWait });
  } else {
    // Loaded only here: `pg` is a tenth of the start-up time of a command on SQLite, which never needs it.
    const { openPostgres } = await import("./postgres/open-postgres.js");
    opened = await openPostgres(location, { create, requireHistory, schema: options.schema });
  }

  let upgrade: SchemaUpgrade | undefined;
  let copy = false;
  try {
    if (options.migrate === false && opened.copyInMemory !== undefined && !(await isUpToDate(opened))) {
      opened = await opened.copyInMemory();
      copy = true;
      upgrade = await migrateToLatest(opened);
    } else if (options.migrate === false) await assertUpToDate(opened);
    else {
      upgrade = await migrateToLatest(opened);
      await opened.afterMigrate();
    }
  } catch (error) {
    await opened.discard();
    throw error;
  }
  const { db, engine } = opened;
  const checkpointer =
    options.backgroundCheckpoints !== undefined &&
    location.engine === "sqlite" &&
    location.path !== ":memory:" &&
    options.migrate !== false &&
    !copy
      ? startWalCheckpointer(location.path, options.backgroundCheckpoints)
      : undefined;
  return {
    db,
    engine,
    url: opened.url,
    upgrade,
    copy,
    async close() {
      // First, so that the last connection to close is this one, which folds the log into the file.
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
