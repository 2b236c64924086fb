import { readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { basename, dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDatabase } from "./create-database.js";
import { PatternloopDbError, type PatternloopDbErrorCode } from "./patternloop-db-error.js";
import { freshUrl, PG_URL, testDirectory } from "./testing/dialects.js";

async function expectDbError(
  opening: Promise<unknown>,
  code: PatternloopDbErrorCode,
): Promise<PatternloopDbError> {
  const error = await opening.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PatternloopDbError);
  const dbError = error as PatternloopDbError;
  expect(dbError.code).toBe(code);
  expect(dbError.message).not.toContain("\n");
  return dbError;
}

/** The files named after `path` in its directory: the database and any `-wal`, `-shm`, `-journal`. */
async function filesOf(path: string): Promise<string[]> {
  const name = basename(path);
  return (await readdir(dirname(path))).filter((file) => file.startsWith(name)).sort();
}

/** Makes an SQLite file with one unrelated table, in rollback-journal mode, and returns its bytes. */
function createPlainSqlite(path: string, ddl: string): Buffer {
  const raw = new BetterSqlite3(path);
  raw.exec(ddl);
  raw.close();
  return readFileSync(path);
}

describe("createDatabase on SQLite", () => {
  it("opens a new file with create, in WAL mode, and reports where", async () => {
    const path = await freshUrl("sqlite");
    const opened = await createDatabase(`sqlite:${path}`, { create: true });
    try {
      expect(opened.engine).toBe("sqlite");
      expect(opened.url).toBe(`sqlite:${path}`);
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(opened.db);
      expect(rows[0]?.journal_mode).toBe("wal");
      const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(opened.db);
      expect(keys.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await opened.close();
    }
  });

  it("opens :memory:", async () => {
    const opened = await createDatabase(":memory:");
    expect(opened.url).toBe(":memory:");
    expect(await opened.db.selectFrom("operation_patterns").selectAll().execute()).toEqual([]);
    await opened.close();
  });

  it("refuses a missing file without create, and creates nothing", async () => {
    const path = await freshUrl("sqlite");
    const error = await expectDbError(createDatabase(path), "file_missing");
    expect(error.message).toContain(path);
    expect(await filesOf(path)).toEqual([]);
  });

  it("refuses a file in a missing directory, and creates nothing", async () => {
    const directory = join(await testDirectory(), "absent");
    await expectDbError(createDatabase(join(directory, "h.db"), { create: true }), "file_missing");
    await expect(readdir(directory)).rejects.toThrow();
  });

  it("refuses a text file, leaving its bytes as they were and no -wal or -shm beside it", async () => {
    const path = join(await testDirectory(), "notes.txt");
    const text = "these are my notes, not a database\n".repeat(200);
    await writeFile(path, text);
    for (const create of [false, true]) {
      const error = await expectDbError(createDatabase(path, { create }), "not_sqlite");
      expect(error.message).toContain(path);
    }
    expect(await readFile(path, "utf8")).toBe(text);
    expect(await filesOf(path)).toEqual(["notes.txt"]);
  });

  it("refuses an empty file unless create is set", async () => {
    const path = join(await testDirectory(), "empty.db");
    await writeFile(path, "");
    await expectDbError(createDatabase(path), "not_sqlite");
    expect(await readFile(path)).toHaveLength(0);
    expect(await filesOf(path)).toEqual(["empty.db"]);
    const opened = await createDatabase(path, { create: true });
    await opened.close();
    expect((await readFile(path)).subarray(0, 15).toString()).toBe("SQLite format 3");
  });

  it("refuses a directory and a damaged file with an SQLite header", async () => {
    const directory = join(await testDirectory(), "a-directory.db");
    await mkdir(directory);
    await expectDbError(createDatabase(directory), "not_sqlite");

    const path = join(await testDirectory(), "damaged.db");
    const bytes = Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(4080, 0xab)]);
    await writeFile(path, bytes);
    await expectDbError(createDatabase(path), "not_sqlite");
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect(await filesOf(path)).toEqual(["damaged.db"]);
  });

  it("with requireHistory, refuses a database without workflow_history and changes nothing", async () => {
    const path = join(await testDirectory(), "other-app.db");
    const bytes = createPlainSqlite(path, "create table notes (id integer primary key, body text)");
    const error = await expectDbError(
      createDatabase(path, { requireHistory: true }),
      "missing_workflow_history",
    );
    expect(error.message).toContain(path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(await filesOf(path)).toEqual(["other-app.db"]);

    const missing = await freshUrl("sqlite");
    await expectDbError(
      createDatabase(missing, { create: true, requireHistory: true }),
      "missing_workflow_history",
    );
    expect(await filesOf(missing)).toEqual([]);
  });

  it("reports a failed migration and rolls it back, leaving no bookkeeping tables", async () => {
    const path = join(await testDirectory(), "odd-history.db");
    createPlainSqlite(path, "create table workflow_history (adw_id text, status text)");
    const error = await expectDbError(createDatabase(path), "migration_failed");
    expect(error.message).toMatch(/workflow-history.*no id column/);
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").all();
      expect(tables).toEqual([{ name: "workflow_history" }]);
      expect(raw.prepare("select name from pragma_table_info('workflow_history')").all()).toHaveLength(2);
    } finally {
      raw.close();
    }
  });

  it("rejects unknown schemes and a schema option on SQLite", async () => {
    await expectDbError(createDatabase("mysql://x"), "unknown_scheme");
    await expectDbError(createDatabase(":memory:", { schema: "x" }), "invalid_url");
  });
});

describe.runIf(PG_URL !== undefined)("createDatabase on PostgreSQL", () => {
  const url = PG_URL ?? "";

  async function schemaExists(schema: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rowCount } = await client.query("select 1 from pg_namespace where nspname = $1", [schema]);
      return rowCount !== 0;
    } finally {
      await client.end();
    }
  }

  it("reports an unreachable server with the password redacted", async () => {
    const error = await expectDbError(
      createDatabase("postgres://postgres:postgres@127.0.0.1:1/x"),
      "unreachable",
    );
    expect(error.message).toContain("postgres://postgres:***@127.0.0.1:1/x");
    expect(error.message).not.toContain("postgres:postgres@");
  });

  it("reports a wrong password and an unknown database as unreachable", async () => {
    const wrongPassword = new URL(url);
    wrongPassword.password = "not-the-password";
    await expectDbError(createDatabase(wrongPassword.href), "unreachable");
    const unknownDatabase = new URL(url);
    unknownDatabase.pathname = "/patternloop_no_such_database";
    await expectDbError(createDatabase(unknownDatabase.href), "unreachable");
  });

  it("refuses a missing schema without create, and creates it with create", async () => {
    const schemaUrl = await freshUrl("postgres");
    const schema = new URL(schemaUrl).searchParams.get("schema") ?? "";
    await expectDbError(createDatabase(schemaUrl), "schema_missing");
    expect(await schemaExists(schema)).toBe(false);
    await expectDbError(
      createDatabase(schemaUrl, { create: true, requireHistory: true }),
      "missing_workflow_history",
    );
    expect(await schemaExists(schema)).toBe(false);

    const opened = await createDatabase(schemaUrl, { create: true });
    try {
      expect(opened.engine).toBe("postgres");
      expect(opened.url).not.toContain(":postgres@");
      expect(await schemaExists(schema)).toBe(true);
    } finally {
      await opened.close();
    }
  });

  it("with requireHistory, refuses an existing schema without workflow_history and creates nothing in it", async () => {
    const schemaUrl = await freshUrl("postgres");
    const schema = new URL(schemaUrl).searchParams.get("schema") ?? "";
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema "${schema}"`);
      await expectDbError(createDatabase(schemaUrl, { requireHistory: true }), "missing_workflow_history");
      const { rowCount } = await client.query(
        "select 1 from information_schema.tables where table_schema = $1",
        [schema],
      );
      expect(rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it("migrates while another client creates and drops tables in another schema, and introspects only its own", async () => {
    // Kysely's stock introspection resolves every table of every schema by name; a table dropped during that
    // read failed about one call in four here with 'relation "<other schema>.t2" does not exist'.
    const otherSchema = `pl_churn_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema "${otherSchema}"`);
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        await admin.query(`create table "${otherSchema}".t${i % 4} (id serial primary key, note text)`);
        await admin.query(`drop table "${otherSchema}".t${i % 4}`);
      }
    })();
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const schemaUrl = await freshUrl("postgres");
        const opened = await createDatabase(schemaUrl, { create: true });
        try {
          const tables = await opened.db.introspection.getTables();
          const schema = new URL(schemaUrl).searchParams.get("schema");
          expect(new Set(tables.map((table) => table.schema))).toEqual(new Set([schema]));
          expect(tables.map((table) => table.name)).toContain("workflow_history");
          expect(tables.map((table) => table.name)).not.toContain("kysely_migration");
          const history = tables.find((table) => table.name === "workflow_history");
          expect(history?.columns.find((column) => column.name === "workflow_id")?.isNullable).toBe(false);
        } finally {
          await opened.close();
        }
      }
    } finally {
      churning = false;
      await churn;
      await admin.query(`drop schema "${otherSchema}" cascade`);
      await admin.end();
    }
  }, 60_000);

  it("takes the schema from an option as well as from the URL, and rejects a bad name", async () => {
    const schema = new URL(await freshUrl("postgres")).searchParams.get("schema") ?? "";
    const opened = await createDatabase(url, { schema, create: true });
    await opened.close();
    expect(await schemaExists(schema)).toBe(true);
    await expectDbError(createDatabase(`${url}?schema=Robert');drop`), "invalid_url");
  });
});

describe("createDatabase on PostgreSQL settings it cannot use, with no server needed", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("refuses a port pg cannot connect to, which used to hang with no word", async () => {
    const error = await expectDbError(
      createDatabase("postgres://u:secret@127.0.0.1:1/x?port=abc"),
      "invalid_url",
    );
    expect(error.message).toBe(
      'invalid port "abc" for postgres://u:***@127.0.0.1:1/x?port=abc (use a whole number from 1 to 65535)',
    );
  });

  it("refuses a PGPORT pg cannot connect to when the URL names no port", async () => {
    vi.stubEnv("PGPORT", "abc");
    const error = await expectDbError(createDatabase("postgres://u:secret@127.0.0.1/x"), "invalid_url");
    expect(error.message).toContain('invalid PGPORT "abc" for postgres://u:***@127.0.0.1/x');
  });

  it.each(["sslrootcert", "sslcert", "sslkey"])("refuses a %s file that does not exist", async (key) => {
    const missing = join(await testDirectory(), "missing.pem");
    const url = `postgres://u:secret@127.0.0.1:1/x?${key}=${missing}`;
    const error = await expectDbError(createDatabase(url), "invalid_url");
    expect(error.message).toContain(`postgres://u:***@127.0.0.1:1/x?${key}=${missing}`);
    expect(error.message).toContain(`no such file or directory, open '${missing}'`);
  });

  it("gives up on a server that accepts the connection and never answers", { timeout: 60_000 }, async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await expectDbError(
        createDatabase(`postgres://u:secret@127.0.0.1:${port}/x`),
        "unreachable",
      );
      expect(error.message).toBe(
        `cannot reach PostgreSQL at postgres://u:***@127.0.0.1:${port}/x: Connection terminated due to connection timeout`,
      );
      expect(sockets.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reports a host name that does not resolve as unreachable", async () => {
    const error = await expectDbError(
      createDatabase("postgres://u:secret@no-such-host.invalid/x"),
      "unreachable",
    );
    expect(error.message).toContain("cannot reach PostgreSQL at postgres://u:***@no-such-host.invalid/x: ");
  });
});

describe("createDatabase with migrate: false", () => {
  it("reads an up-to-date database, and an upgraded in-memory copy of one that needs an upgrade, changing nothing", async () => {
    const dir = await testDirectory();
    const path = join(dir, "read-only.db");
    await (await createDatabase(path, { create: true })).close();
    const reopened = await createDatabase(path, { migrate: false });
    expect(await reopened.db.selectFrom("workflow_history").selectAll().execute()).toEqual([]);
    await reopened.close();

    const adwPath = join(dir, "adw-read-only.db");
    const adw = new BetterSqlite3(adwPath);
    adw.exec(
      "CREATE TABLE workflow_history (id INTEGER PRIMARY KEY AUTOINCREMENT, adw_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL)",
    );
    adw.close();
    const snapshot = async () => ({
      bytes: readFileSync(adwPath).toString("base64"),
      mtime: statSync(adwPath).mtimeMs,
      files: (await readdir(dir)).sort(),
    });
    const before = await snapshot();
    // Not on the latest schema: an upgraded copy in memory, never the file.
    const copy = await createDatabase(adwPath, { migrate: false });
    expect(copy.copy).toBe(true);
    await copy.db
      .insertInto("workflow_history")
      .values({ workflow_id: "w1", adw_id: "w1", status: "completed" })
      .execute();
    expect(await copy.db.selectFrom("workflow_history").select("workflow_id").execute()).toEqual([
      { workflow_id: "w1" },
    ]);
    await copy.close();
    expect(await snapshot()).toEqual(before);
  });
});
