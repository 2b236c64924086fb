import {
  type CreateDatabaseOptions,
  createDatabase,
  type PatternloopDatabase,
  PatternloopDbError,
  type PatternloopDbErrorCode,
} from "@patternloop/db";
import { CliError } from "./cli-error.js";
import { describeUpgrade } from "./output/describe-upgrade.js";

/** Options every database command takes. */
export interface DatabaseOption {
  db?: string;
}

/** The `--db` URL, else `PATTERNLOOP_DB`; a command without either is refused. */
export function databaseUrl(options: DatabaseOption): string {
  const url = options.db ?? process.env.PATTERNLOOP_DB;
  if (url === undefined || url.trim() === "")
    throw new CliError(
      "no database: pass --db URL (a SQLite file path, sqlite:…, or postgres://…) or set PATTERNLOOP_DB",
    );
  return url;
}

/**
 * Opens the database for a command, saying on stderr what opening upgraded (an adopted ADW history); its refusals (no such file, not SQLite, bad URL…) become one-line CLI
 * errors (exit 2). A database that is busy, full, read-only or damaged is no fault of the command line: that
 * error goes on as it is (exit 1).
 */
export async function openDatabase(
  options: DatabaseOption,
  settings: CreateDatabaseOptions,
): Promise<PatternloopDatabase> {
  let database: PatternloopDatabase;
  try {
    database = await createDatabase(databaseUrl(options), settings);
  } catch (error) {
    throw openFailure(error);
  }
  process.stderr.write(describeUpgrade(database));
  return database;
}

/**
 * What a command throws when opening its database failed: a refusal (no such file, not SQLite, bad URL…) as a
 * one-line CLI error (exit 2); a database that is busy, full, read-only or damaged, and anything else, as it
 * is (exit 1).
 */
export function openFailure(error: unknown): unknown {
  return error instanceof PatternloopDbError && !FAILED_WHILE_WORKING.has(error.code)
    ? new CliError(error.message, undefined, { cause: error })
    : error;
}

/** Codes that say the database does not work right now, not that the command named the wrong one. */
const FAILED_WHILE_WORKING: ReadonlySet<PatternloopDbErrorCode> = new Set([
  "busy",
  "disk_full",
  "read_only",
  "io_error",
  "corrupt",
]);

/** Runs `work` with an open database and always closes it. */
export async function withDatabase<T>(
  options: DatabaseOption,
  settings: CreateDatabaseOptions,
  work: (database: PatternloopDatabase) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(options, settings);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
