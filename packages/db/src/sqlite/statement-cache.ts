import type BetterSqlite3 from "better-sqlite3";

/** Distinct statements kept; the same query text recurs (per run, per request), but IN lists vary in length. */
const MAX_STATEMENTS = 256;

/**
 * Makes `database.prepare` reuse prepared statements by SQL text (least recently used go first). Kysely's
 * SQLite driver prepares every query it runs; re-preparing the same text was about a seventh of a busy
 * server's time. A statement still being iterated is never handed out twice.
 */
export function cacheStatements(database: BetterSqlite3.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached !== undefined && !cached.busy) {
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as typeof database.prepare;
}
