import { createRequire } from "node:module";
import { afterAll } from "vitest";

/** The PostgreSQL server of the suite, from the environment; the PostgreSQL tests skip without it. */
export const PG_URL: string | undefined = process.env.PATTERNLOOP_TEST_PG_URL || undefined;

if (PG_URL === undefined) {
  console.warn("PATTERNLOOP_TEST_PG_URL is not set: the PostgreSQL part of the CLI tests is skipped");
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

// pg is a dependency of @patternloop/db, not of the CLI: resolve it from there.
const requireFromDb = createRequire(import.meta.resolve("@patternloop/db"));
const pg = requireFromDb("pg") as { Client: new (config: { connectionString: string }) => PgClient };

const schemas: string[] = [];
const FILE_ID = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** A schema name unique to this test, dropped (with everything in it) after the test file. */
export function freshSchema(): string {
  if (PG_URL === undefined) throw new Error("PATTERNLOOP_TEST_PG_URL is not set");
  const schema = `pl_cli_${FILE_ID}_${schemas.length + 1}`;
  schemas.push(schema);
  return schema;
}

/** The test server's URL confined to `schema`. */
export function schemaUrl(schema: string): string {
  if (PG_URL === undefined) throw new Error("PATTERNLOOP_TEST_PG_URL is not set");
  return `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}schema=${schema}`;
}

/** Runs `work` with a connection to the test server. */
export async function withPostgres<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
  if (PG_URL === undefined) throw new Error("PATTERNLOOP_TEST_PG_URL is not set");
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether a schema exists on the test server. */
export function schemaExists(schema: string): Promise<boolean> {
  return withPostgres(async (client) => {
    const { rows } = await client.query("select 1 from pg_catalog.pg_namespace where nspname = $1", [schema]);
    return rows.length > 0;
  });
}

afterAll(async () => {
  if (schemas.length === 0) return;
  await withPostgres(async (client) => {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  });
});
