import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";

/** Where the backfill benchmark finds PostgreSQL: only when one of these is set. */
export function benchPostgresUrl(): string | undefined {
  return process.env.PATTERNLOOP_BENCH_POSTGRES || process.env.PATTERNLOOP_TEST_PG_URL || undefined;
}

/** A fresh schema name for one size's PostgreSQL backfill, and its URL. */
export function freshSchemaUrl(url: string): { schema: string; url: string } {
  const schema = `bench_backfill_${process.pid}_${randomBytes(3).toString("hex")}`;
  return { schema, url: `${url}${url.includes("?") ? "&" : "?"}schema=${schema}` };
}

/** Why PostgreSQL at `url` cannot be used, or undefined when it answers. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  try {
    await runStatements(url, ["select 1"]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  }
}

export function dropSchema(url: string, schema: string): Promise<void> {
  return runStatements(url, [`drop schema if exists ${schema} cascade`]);
}

/**
 * Refreshes the planner's statistics of a schema's tables. A server's tables are analyzed by autovacuum once
 * they have grown by a tenth, but autovacuum looks at most once a minute (`autovacuum_naptime`): a schema the
 * benchmark fills in seconds would otherwise be measured with plans made without statistics (a sequential
 * scan for each list of runs), which a server running for more than a minute does not meet.
 */
export function analyzeSchema(url: string, schema: string): Promise<void> {
  return runStatements(url, [`set search_path to ${schema}`, "analyze"]);
}

/** Runs the statements one after the other on a connection of its own, closed afterwards. */
async function runStatements(url: string, statements: readonly string[]): Promise<void> {
  const client = new (postgres().Client)({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end().catch(() => {});
  }
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
}

/** `pg`, a dependency of packages/db (not of the workspace root). */
function postgres(): {
  Client: new (config: { connectionString: string; connectionTimeoutMillis: number }) => PgClient;
} {
  return createRequire(import.meta.resolve("@patternloop/db"))("pg");
}
