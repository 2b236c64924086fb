import { Kysely } from "kysely";
import pg from "pg";
import { assertSchemaName, type PostgresLocation } from "../database-url.js";
import { errorCode, errorMessage } from "../error-code.js";
import type { OpenedDatabase } from "../opened-database.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import type { Database } from "../schema/database.js";
import { OwnSchemaPostgresDialect } from "./own-schema-postgres-dialect.js";
import { createPostgresTypeParsers } from "./postgres-type-parsers.js";
import { isPortNumber } from "./postgres-url-parameters.js";

/** How long opening waits for PostgreSQL to accept a connection. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long a query waits for a connection once the database is open. pg-pool's `connectionTimeoutMillis`
 * bounds the wait for a free pooled connection as well as the connect itself: under a burst (hundreds of
 * hooks at once, more than the pool's ten connections) the short opening bound failed requests that only had
 * to queue, as "lost the connection".
 */
export const POSTGRES_POOL_WAIT_MS = 60_000;

/** Options of {@link openPostgres}. */
export interface OpenPostgresOptions {
  readonly create: boolean;
  readonly requireHistory: boolean;
  /** Overrides the URL's `?schema=`. */
  readonly schema: string | undefined;
}

/**
 * Opens a `pg` pool, proves the server is reachable with `select 1`, and checks the schema (and
 * `workflow_history` when required) before anything is created. With a schema, every connection runs with
 * `search_path` set to it, so unqualified table names resolve there.
 */
export async function openPostgres(
  location: PostgresLocation,
  options: OpenPostgresOptions,
): Promise<OpenedDatabase> {
  const { url } = location;
  if (options.schema !== undefined) assertSchemaName(options.schema, url);
  const schema = options.schema ?? location.schema;
  const startup = [location.options, schema === undefined ? undefined : `-c search_path=${schema}`]
    .filter((part) => part !== undefined && part !== "")
    .join(" ");
  const config: pg.PoolConfig = {
    connectionString: location.connectionString,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    types: createPostgresTypeParsers(),
    ...(startup === "" ? {} : { options: startup }),
  };
  assertClientSettings(config, url);
  const pool = new pg.Pool(config);
  // An idle connection that dies (server restart) is dropped by the pool and replaced on the next query;
  // without a listener Node would treat the pool's "error" event as fatal and exit.
  pool.on("error", () => {});

  let createdSchema = false;
  let currentSchema: string;
  try {
    const client = await connect(pool, url);
    try {
      if (schema !== undefined) createdSchema = await ensureSchema(client, schema, url, options);
      currentSchema = await readCurrentSchema(client, url);
      if (options.requireHistory && !(await hasHistory(client, currentSchema))) {
        throw new PatternloopDbError("missing_workflow_history", `${url} has no workflow_history table`);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error instanceof PatternloopDbError
      ? error
      : new PatternloopDbError(
          "open_failed",
          `cannot open PostgreSQL database ${url}: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
  }

  // The server answered: from now on a wait for a connection is mostly a wait in the pool's queue.
  pool.options.connectionTimeoutMillis = POSTGRES_POOL_WAIT_MS;
  const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }, currentSchema, url) });
  return {
    db,
    engine: "postgres",
    url,
    migrationSchema: currentSchema,
    async afterMigrate() {},
    async discard() {
      if (createdSchema) {
        // Restrict, not cascade: only an empty schema this call created is removed.
        await pool.query(`drop schema if exists "${currentSchema}"`).catch(() => {});
      }
      await db.destroy();
    },
  };
}

/**
 * Builds, and drops unconnected, a client from the pool's settings, so that what `pg` reads before it connects
 * (the certificate files the URL names, `PGPORT` and the other `PG*` variables) is refused as bad input
 * here. Inside the pool, a missing file would read as an unreachable server, and a port `net.connect`
 * refuses is thrown past pg-pool, which then never lets `pool.end()` return: the command hung.
 */
function assertClientSettings(config: pg.PoolConfig, url: string): void {
  let client: pg.Client;
  try {
    client = new pg.Client(config);
  } catch (cause) {
    throw new PatternloopDbError(
      "invalid_url",
      `cannot use the PostgreSQL settings of ${url}: ${errorMessage(cause)}`,
      { cause },
    );
  }
  // The URL's own port was checked when it was parsed, so a bad one here came from PGPORT.
  if (!isPortNumber(client.port)) {
    const port = process.env.PGPORT;
    const source = port === undefined ? `port ${client.port}` : `PGPORT ${JSON.stringify(port)}`;
    throw new PatternloopDbError(
      "invalid_url",
      `invalid ${source} for ${url}, which names no port (use a whole number from 1 to 65535)`,
    );
  }
}

async function connect(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    const client = await pool.connect();
    try {
      await client.query("select 1");
    } catch (error) {
      client.release(true);
      throw error;
    }
    return client;
  } catch (cause) {
    throw new PatternloopDbError("unreachable", `cannot reach PostgreSQL at ${url}: ${errorMessage(cause)}`, {
      cause,
    });
  }
}

/** Creates the schema when allowed; returns whether this call created it. */
async function ensureSchema(
  client: pg.PoolClient,
  schema: string,
  url: string,
  options: OpenPostgresOptions,
): Promise<boolean> {
  const found = await client.query("select 1 from pg_catalog.pg_namespace where nspname = $1", [schema]);
  if (found.rowCount !== 0) return false;
  if (options.requireHistory) {
    throw new PatternloopDbError(
      "missing_workflow_history",
      `${url} has no schema "${schema}", so no workflow_history`,
    );
  }
  if (!options.create) {
    throw new PatternloopDbError("schema_missing", `${url} has no schema "${schema}"`);
  }
  try {
    await client.query(`create schema "${schema}"`);
    return true;
  } catch (error) {
    // Another process created it between the check and here.
    if (errorCode(error) === "42P06" || errorCode(error) === "23505") return false;
    throw error;
  }
}

async function readCurrentSchema(client: pg.PoolClient, url: string): Promise<string> {
  const result = await client.query<{ schema: string | null }>("select current_schema() as schema");
  const schema = result.rows[0]?.schema;
  if (schema == null) {
    throw new PatternloopDbError("open_failed", `${url}: no schema on the search_path exists`);
  }
  return schema;
}

async function hasHistory(client: pg.PoolClient, schema: string): Promise<boolean> {
  const result = await client.query(
    "select 1 from information_schema.tables where table_schema = $1 and table_name = 'workflow_history'",
    [schema],
  );
  return result.rowCount !== 0;
}
