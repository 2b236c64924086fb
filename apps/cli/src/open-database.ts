import {
  type CreateDatabaseOptions,
  createDatabase,
  type PatternloopDatabase,
  PatternloopDbError,
} from "@patternloop/db";
import { CliError } from "./cli-error.js";

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

/** Opens the database for a command; its refusals become one-line CLI errors (exit 2). */
export async function openDatabase(
  options: DatabaseOption,
  settings: CreateDatabaseOptions,
): Promise<PatternloopDatabase> {
  try {
    return await createDatabase(databaseUrl(options), settings);
  } catch (error) {
    if (error instanceof PatternloopDbError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
}

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
