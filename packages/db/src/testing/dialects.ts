/**
 * The engines the db suite runs on, after kysely's `test/node/src/test-setup.ts`:
 *
 * ```ts
 * for (const engine of ENGINES) {
 *   describe(engine, () => {
 *     const fresh = useFreshDatabase(engine);
 *     it("…", async () => { const { db } = fresh(); … });
 *   });
 * }
 * ```
 *
 * SQLite always runs, on a new temporary FILE per test (not `:memory:`, so WAL, locking and re-opening are
 * real). PostgreSQL runs when `PATTERNLOOP_TEST_PG_URL` is set, each test in its own schema whose name is
 * unique to the test file, so files can run in parallel against one server; the schema is dropped after the
 * test. Exported as `@patternloop/db/testing`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeEach } from "vitest";
import { type CreateDatabaseOptions, createDatabase, type PatternloopDatabase } from "../create-database.js";
import type { DatabaseEngine } from "../opened-database.js";
import type { Database } from "../schema/database.js";

/** The PostgreSQL server of the suite, from the environment (CI sets it). */
export const PG_URL: string | undefined = process.env.PATTERNLOOP_TEST_PG_URL || undefined;

/** The engines to run every engine-independent test on. */
export const ENGINES: readonly DatabaseEngine[] = PG_URL === undefined ? ["sqlite"] : ["sqlite", "postgres"];

if (PG_URL === undefined) {
  console.warn("PATTERNLOOP_TEST_PG_URL is not set: the PostgreSQL half of the db suite is skipped");
}

/** A migrated database for one test. */
export interface TestDatabase {
  readonly engine: DatabaseEngine;
  /** Opens this test's database again: a second, independent connection (or pool). */
  readonly url: string;
  readonly handle: PatternloopDatabase;
  readonly db: Kysely<Database>;
}

const FILE_ID = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let counter = 0;
let tempDirectory: Promise<string> | undefined;
const schemas: string[] = [];

/**
 * A database location for one test that does not exist yet: a path in this file's temporary directory
 * (SQLite) or a PostgreSQL URL with a new `?schema=` (pass `create: true` to open it). Cleaned up after the
 * test file.
 */
export async function freshUrl(engine: DatabaseEngine): Promise<string> {
  counter += 1;
  if (engine === "sqlite") return join(await testDirectory(), `test-${counter}.db`);
  if (PG_URL === undefined) throw new Error("PATTERNLOOP_TEST_PG_URL is not set");
  const schema = `pl_test_${FILE_ID}_${counter}`;
  schemas.push(schema);
  return `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}schema=${schema}`;
}

/** A temporary directory private to this test file, removed after it. */
export async function testDirectory(): Promise<string> {
  tempDirectory ??= mkdtemp(join(tmpdir(), "patternloop-db-test-"));
  return tempDirectory;
}

/**
 * Registers hooks in the current `describe` that give each test a fresh, migrated database; call the
 * returned function inside a test to get it. Every handle is closed after the test.
 */
export function useFreshDatabase(
  engine: DatabaseEngine,
  options: CreateDatabaseOptions = {},
): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    const url = await freshUrl(engine);
    const handle = await createDatabase(url, { create: true, ...options });
    current = { engine, url, handle, db: handle.db };
  });
  afterEach(async () => {
    await current?.handle.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error("useFreshDatabase: call the getter inside a test");
    return current;
  };
}

afterAll(async () => {
  if (tempDirectory !== undefined) await rm(await tempDirectory, { recursive: true, force: true });
  if (schemas.length > 0 && PG_URL !== undefined) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  }
  // A file with a hundred tests has a hundred schemas to drop: over the default 10 s on a busy machine.
}, 120_000);
