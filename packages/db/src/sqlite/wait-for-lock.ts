import { setTimeout as sleep } from "node:timers/promises";
import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";
import { errorCode } from "../error-code.js";

/**
 * How an SQLite connection waits for another process's write lock: `blocking` inside SQLite (its busy
 * timeout, which stalls the whole thread), or `async`, retrying between timers so that the thread serves
 * everything else meanwhile; for a server, since a command line tool has nothing else to do while it waits.
 * `{ endedBy }` waits asynchronously too, and gives every wait up at once when the signal aborts: for a
 * server that stops, since a write that has not got the lock yet has stored nothing.
 */
export type LockWait = "blocking" | "async" | { readonly endedBy: AbortSignal };

/** What {@link waitForLocksAsynchronously} needs of the driver and its one connection. */
export interface AsyncLockWaitContext {
  /** Whether a transaction is open on the connection (better-sqlite3's `db.inTransaction`). */
  inTransaction(): boolean;
  /** How long, in all, a statement waits for the lock before its `SQLITE_BUSY` stands. */
  readonly waitMs: number;
  /** Ends every wait at once when aborted. */
  readonly endedBy?: AbortSignal;
  /** The error to throw for the last `SQLITE_BUSY` after waiting `waitedMs`. */
  busy(error: unknown, waitedMs: number): unknown;
  /** Hands the connection back to the driver, so that other queries run while this one waits. */
  release(): Promise<void>;
  /** Takes the connection again, once queries that came meanwhile are done with it. */
  reacquire(): Promise<void>;
}

const FIRST_DELAY_MS = 5;
const LONGEST_DELAY_MS = 50;

/**
 * The same connection, except that a statement run outside a transaction (a `BEGIN IMMEDIATE` or a write
 * on its own) that fails with `SQLITE_BUSY` is run again after a growing pause (5 ms up to 50 ms), until
 * `waitMs` has passed since its first try, or `endedBy` aborts; the connection's busy timeout is meant to
 * be 0. During each pause the connection goes back to the driver: a query waiting for the connection, such
 * as a read, which WAL never makes wait for the lock, runs then instead of queuing behind the write.
 * Nothing is open on the connection when it is handed back: a failed `BEGIN` or autocommit write leaves no transaction. A statement
 * inside a transaction is not retried, since the transaction holds the connection until it ends. When the
 * lock is free, the statement runs once, as it would without this.
 */
export function waitForLocksAsynchronously(
  connection: DatabaseConnection,
  context: AsyncLockWaitContext,
): DatabaseConnection {
  const executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    if (context.inTransaction()) return connection.executeQuery<R>(query);
    let startedAt: number | undefined;
    let delay = FIRST_DELAY_MS;
    const { waitMs, endedBy } = context;
    for (;;) {
      try {
        return await connection.executeQuery<R>(query);
      } catch (error) {
        if (!isBusy(error)) throw error;
        startedAt ??= Date.now();
        const left = startedAt + waitMs - Date.now();
        if (left <= 0) throw context.busy(error, waitMs);
        if (endedBy?.aborted) throw context.busy(error, tenths(Date.now() - startedAt));
        await context.release();
        try {
          await sleep(Math.min(delay, left), undefined, { signal: endedBy }).catch(() => undefined);
        } finally {
          await context.reacquire();
        }
        delay = Math.min(delay * 2, LONGEST_DELAY_MS);
      }
    }
  };
  return new Proxy(connection, {
    get(target, key) {
      if (key === "executeQuery") return executeQuery;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function isBusy(error: unknown): boolean {
  const code = errorCode(error);
  return code === "SQLITE_BUSY" || code?.startsWith("SQLITE_BUSY_") === true;
}

/** `ms` to the nearest tenth of a second, for a message that says how long was waited. */
function tenths(ms: number): number {
  return Math.round(ms / 100) * 100;
}
