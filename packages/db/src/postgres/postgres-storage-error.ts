import { errorCode } from "../error-code.js";
import type { PatternloopDbError } from "../patternloop-db-error.js";
import { type StorageFailure, storageError } from "../storage-error.js";

/** SQLSTATEs and Node socket codes that say the server or its storage failed, not the statement's data. */
const FAILURES: Readonly<Record<string, StorageFailure>> = {
  "55P03": "busy", // lock_not_available: lock_timeout ran out
  "53100": "disk_full",
  "25006": "read_only", // read_only_sql_transaction: a standby, or default_transaction_read_only
  "58030": "io_error",
  XX001: "corrupt", // data_corrupted
  XX002: "corrupt", // index_corrupted
  "57P01": "unreachable", // admin_shutdown
  "57P02": "unreachable", // crash_shutdown
  "57P03": "unreachable", // cannot_connect_now
  "53300": "unreachable", // too_many_connections
  "08000": "unreachable",
  "08001": "unreachable",
  "08003": "unreachable",
  "08004": "unreachable",
  "08006": "unreachable",
  ECONNREFUSED: "unreachable",
  ECONNRESET: "unreachable",
  EPIPE: "unreachable",
  ETIMEDOUT: "unreachable",
  EHOSTUNREACH: "unreachable",
  ENOTFOUND: "unreachable",
};

/** `pg`'s own errors for a connection that ended or never came, which carry no code. */
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * The typed error of a `pg` error that says the server cannot be used right now (a lock timeout, a full
 * disk, a read-only server, a lost connection, …), or undefined for any other error, which stays as it is.
 */
export function postgresStorageError(error: unknown, url: string): PatternloopDbError | undefined {
  const code = errorCode(error);
  const failure =
    code !== undefined
      ? FAILURES[code]
      : error instanceof Error && LOST_CONNECTION.test(error.message)
        ? "unreachable"
        : undefined;
  return failure === undefined ? undefined : storageError(failure, url, error);
}
