import { CompiledQuery, type DatabaseConnection, SqliteDriver, type TransactionSettings } from "kysely";
import type { PatternloopDbError } from "../patternloop-db-error.js";
import { withTypedErrors } from "../typed-error-connection.js";
import type {
  ImmediateSqliteDialectConfig,
  TransactionAwareSqliteDatabase,
} from "./immediate-sqlite-config.js";
import { hasLittleRoom } from "./little-room.js";
import { sqliteStorageError } from "./sqlite-storage-error.js";
import { waitForLocksAsynchronously } from "./wait-for-lock.js";

/**
 * How long a statement waits for another process's write lock when it waits asynchronously: as long as
 * SQLite's busy timeout makes it wait otherwise (`SQLITE_BUSY_TIMEOUT_MS`).
 */
const ASYNC_LOCK_WAIT_MS = 10_000;

/**
 * Kysely's better-sqlite3 driver, except that `db.transaction()` starts with `BEGIN IMMEDIATE`, that a
 * transaction SQLite already rolled back is not rolled back again, and that storage failures come out as
 * `PatternloopDbError`s (`busy`, `disk_full`, `read_only`, `io_error`, `corrupt`, `open_failed`).
 *
 * A plain (deferred) `BEGIN` takes the write lock only at the first write. When two processes write one
 * file, the second one's read-to-write upgrade then fails at once with `SQLITE_BUSY`, which `busy_timeout`
 * does not cover. Taking the write lock up front makes the other writer wait (within `busy_timeout`)
 * instead. A transaction marked `setAccessMode("read only")` still begins deferred, so readers never queue
 * behind writers.
 *
 * With `lockWait: "async"` (or `{ endedBy }`) the connection's busy timeout is 0 and statements outside a transaction wait for
 * the lock between timers instead (see {@link waitForLocksAsynchronously}), so that a server keeps
 * answering while another process writes.
 */
export class ImmediateSqliteDriver extends SqliteDriver {
  readonly #database: () => TransactionAwareSqliteDatabase | undefined;
  readonly #url: string;
  readonly #waitsAsynchronously: boolean;
  readonly #endedBy: AbortSignal | undefined;
  #waiting: { readonly of: DatabaseConnection; readonly connection: DatabaseConnection } | undefined;

  constructor(config: ImmediateSqliteDialectConfig) {
    const { database } = config;
    const waitsAsynchronously = config.lockWait !== undefined && config.lockWait !== "blocking";
    let opened: TransactionAwareSqliteDatabase | undefined;
    super({
      ...config,
      database: async () => {
        opened = typeof database === "function" ? await database() : database;
        if (waitsAsynchronously) opened.pragma("busy_timeout = 0", { simple: true });
        return opened;
      },
    });
    this.#database = () => opened;
    this.#url = config.url ?? "the SQLite database";
    this.#waitsAsynchronously = waitsAsynchronously;
    this.#endedBy = typeof config.lockWait === "object" ? config.lockWait.endedBy : undefined;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    return withTypedErrors(
      this.#waitsAsynchronously ? this.#waitingAsynchronously(connection) : connection,
      (error) => this.#storageError(error, () => this.#busyTimeoutMs()),
    );
  }

  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const mode = settings?.accessMode === "read only" ? "deferred" : "immediate";
    await connection.executeQuery(CompiledQuery.raw(`begin ${mode}`));
  }

  /**
   * Rolls back, unless SQLite has done so already: after `SQLITE_FULL`, `SQLITE_IOERR` or a failed
   * `COMMIT` it ends the transaction itself, and a second `ROLLBACK` would fail with "cannot rollback - no
   * transaction is active", an error that replaced the one that said what went wrong.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#database()?.inTransaction === false) return;
    await super.rollbackTransaction(connection);
  }

  /** The connection that waits for the lock between timers; one per connection, as `withTypedErrors` wants. */
  #waitingAsynchronously(connection: DatabaseConnection): DatabaseConnection {
    if (this.#waiting?.of !== connection) {
      this.#waiting = {
        of: connection,
        connection: waitForLocksAsynchronously(connection, {
          inTransaction: () => this.#database()?.inTransaction === true,
          waitMs: ASYNC_LOCK_WAIT_MS,
          endedBy: this.#endedBy,
          busy: (error, waitedMs) => this.#storageError(error, () => waitedMs) ?? error,
          release: () => super.releaseConnection(),
          reacquire: async () => {
            await super.acquireConnection();
          },
        }),
      };
    }
    return this.#waiting.connection;
  }

  #storageError(error: unknown, busyTimeoutMs: () => number | undefined): PatternloopDbError | undefined {
    return sqliteStorageError(error, this.#url, {
      busyTimeoutMs,
      diskFull: () => hasLittleRoom(this.#database()?.name ?? ""),
    });
  }

  #busyTimeoutMs(): number | undefined {
    const timeout = Number(this.#database()?.pragma("busy_timeout", { simple: true }));
    return Number.isFinite(timeout) ? timeout : undefined;
  }
}
