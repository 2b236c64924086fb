import { createRequire } from "node:module";

/** The part of better-sqlite3's API these tests use. */
export interface SqliteHandle {
  exec(sql: string): void;
  pragma(sql: string): unknown;
  prepare(sql: string): {
    all(...params: unknown[]): Record<string, unknown>[];
    get(...params: unknown[]): Record<string, unknown> | undefined;
    run(...params: unknown[]): { changes: number };
  };
  close(): void;
}

type SqliteConstructor = new (
  path: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => SqliteHandle;

// better-sqlite3 is a dependency of @patternloop/db, not of the CLI: resolve it from there.
const requireFromDb = createRequire(import.meta.resolve("@patternloop/db"));
const BetterSqlite3 = requireFromDb("better-sqlite3") as SqliteConstructor;

/** Opens an SQLite file directly, as a user's own script or the `sqlite3` shell would. */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteHandle {
  return new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: true });
}

/** Creates an SQLite file with `sql` run in it, and closes it. */
export function createSqlite(path: string, sql: string): void {
  const database = new BetterSqlite3(path);
  try {
    database.exec(sql);
  } finally {
    database.close();
  }
}

/** Runs `work` on the file and always closes it. */
export function withSqlite<T>(
  path: string,
  work: (database: SqliteHandle) => T,
  options: { readonly?: boolean } = {},
): T {
  const database = openSqlite(path, options);
  try {
    return work(database);
  } finally {
    database.close();
  }
}

/** The rows of a query, read through a read-only connection. */
export function query(path: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return withSqlite(path, (database) => database.prepare(sql).all(...params), { readonly: true });
}

/** The columns of a table, in their order, but those named in `except`. */
export function tableColumns(database: SqliteHandle, table: string, except: ReadonlySet<string>): string[] {
  return database
    .prepare(`select name from pragma_table_info('${table}') order by cid`)
    .all()
    .map((row) => String(row.name))
    .filter((name) => !except.has(name));
}
