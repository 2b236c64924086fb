import type { ColumnDefinitionBuilder, Kysely, QueryResult, RawBuilder, SelectQueryBuilder } from "kysely";
import type { DatabaseEngine } from "../opened-database.js";
import type { Database } from "../schema/database.js";

// biome-ignore lint/suspicious/noExplicitAny: works for any schema, including migrations' Kysely<any>
export type AnyKysely = Kysely<any>;

/**
 * Everything that differs between SQLite and PostgreSQL, as kysely keeps such differences in a dialect's
 * adapter: query modules ask the engine of their handle ({@link engineFor}) and hold no branch of their own.
 * One implementation per engine: `sqlite-engine.ts` and `postgres-engine.ts`.
 *
 * Migrations use some of these members: what they return must never change (add a member instead).
 */
export interface Engine {
  readonly name: DatabaseEngine;

  // Statements written by hand, where Kysely's builder cost more than the database took to run them.

  /** The placeholder of the bound value at `index` (from 0): `?` on SQLite, `$1`… on PostgreSQL. */
  placeholder(index: number): string;
  /**
   * `insert into <table> (<columns>) values (…), … <tail>` for `rows` rows, written once per table, size and
   * tail (see `multi-row-insert.ts`). Callers bind the values row by row, in column order.
   */
  multiRowInsertSql(table: string, columns: readonly string[], rows: number, tail: string): string;
  /**
   * The row counts of the multi-row inserts that store `rows` rows, in order. SQLite: full chunks, then powers
   * of two, so that its cache of prepared statements holds few texts (see `chunkSizes`). PostgreSQL, which
   * prepares nothing ahead but pays a round trip per statement: full chunks, then one for the rest.
   */
  insertChunkSizes(rows: number): number[];
  /**
   * The end of an insert whose caller needs the rows it inserted (with `on conflict … do nothing`): `returning
   * id, <columns>` on PostgreSQL; nothing on SQLite, where reading them back only when some rows existed is
   * cheaper (see {@link insertedRows}).
   */
  returningInserted(columns: readonly string[]): string;
  /** How many rows an insert ending in {@link returningInserted} inserted. */
  insertedCount(result: QueryResult<unknown>): number;
  /**
   * The `count` rows (`columns` of them) an insert ending in {@link returningInserted} inserted into `table`
   * (whose `id` grows with each insert), in id order: those it returned on PostgreSQL; on SQLite those of the
   * last `count` ids up to the last one inserted.
   */
  insertedRows<R>(
    trx: Kysely<Database>,
    result: QueryResult<R & { id: number }>,
    table: string,
    columns: readonly string[],
    count: number,
  ): Promise<R[]>;
  /**
   * The right side of `in` for a list of numbers: one JSON array on SQLite (so one statement, prepared once,
   * serves any number of them), a list of bound values on PostgreSQL.
   */
  inList(values: readonly number[]): RawBuilder<unknown>;
  /** An aggregate of `expression` in `order` as one JSON array (SQLite gives its text, PostgreSQL the array). */
  jsonArrayAgg(expression: RawBuilder<unknown>, order: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * `table` for a `from` clause that must use `index`: SQLite without statistics would rather scan another
   * index, so it is told; PostgreSQL's planner is not.
   */
  fromWithIndex(table: string, index: string): RawBuilder<unknown>;
  /**
   * Whether runs are read with their tool calls packed as one JSON text per run (`runs/calls-json.ts`):
   * better-sqlite3 builds an object per row and a string per text value, which made a row per call the
   * largest cost of a backfill. PostgreSQL reads the calls as rows.
   */
  readonly packsCallsAsJson: boolean;
  /**
   * Whether one statement updating many rows from arrays of values (`update … from unnest($1::text[], …)`)
   * replaces a statement per row: on PostgreSQL each statement is a round trip to the server, the largest
   * cost of a batch of completions; SQLite runs in the process, where a statement per row costs less.
   */
  readonly updatesFromArrays: boolean;

  // Concurrent writers. An SQLite write transaction (`BEGIN IMMEDIATE`) holds the file's only write lock;
  // PostgreSQL writers run at once and lock the rows they write, in key order so that they cannot deadlock.

  /**
   * A select of rows that the caller's transaction is about to write, made to lock them until it ends: on
   * PostgreSQL `for no key update` (the lock an update that leaves the key alone takes), taken in the
   * query's `order by`, which must therefore be one order every writer uses; on SQLite the query as it is.
   */
  forWrite<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;

  // The database itself.

  /**
   * The file a second, read-only connection can read while this one writes: an SQLite file in WAL mode.
   * Undefined for PostgreSQL, an in-memory or temporary database, or another journal mode (whose readers
   * would hold the writer's commits back).
   */
  readerFile(db: Kysely<Database>): Promise<string | undefined>;
  /**
   * Whether the disk holding the database at `url` has room for a write: false only for an SQLite file whose
   * file system has (almost) no space left; true when it cannot be told from here (a PostgreSQL server's
   * disk, an in-memory database).
   */
  hasRoomToWrite(url: string): boolean;
  /**
   * Sets after how many pages of write-ahead log a commit of this connection checkpoints it (SQLite's
   * `wal_autocheckpoint`) and returns the setting it replaced; undefined, and nothing done, on PostgreSQL.
   */
  setCheckpointPages(db: Kysely<Database>, pages: number): Promise<number | undefined>;
  /**
   * Has the planner's statistics of these tables counted again, after a bulk load filled them: PostgreSQL's
   * `ANALYZE`. Autovacuum does it too, but looks at most once a minute, and until then each run of a list is
   * taken to match 0.5% of the table, so a list of a few hundred runs is planned as a sequential scan of
   * the whole table. Nothing on SQLite, whose planner without statistics assumes every index narrows the
   * search, the plans its queries were measured with.
   */
  refreshStatistics(db: Kysely<Database>, tables: readonly (keyof Database)[]): Promise<void>;

  // Schema and migrations.

  /** Whether kysely's migration table exists (in `schema` on PostgreSQL, `public` when undefined). */
  hasMigrationTable(db: AnyKysely, schema: string | undefined): Promise<boolean>;
  /**
   * Creates kysely's bookkeeping tables before the `Migrator` does where it must: on SQLite inside one
   * `BEGIN IMMEDIATE` transaction, so that processes opening one new file at the same moment queue instead
   * of failing with `SQLITE_BUSY`. Nothing on PostgreSQL.
   */
  createMigrationTables(db: Kysely<Database>): Promise<void>;
  /** Whether a table or view of that name exists in the current schema. */
  tableExists(db: AnyKysely, table: string): Promise<boolean>;
  /** The columns of a table in the current schema; empty when there is no such table. */
  columnNames(db: AnyKysely, table: string): Promise<Set<string>>;
  /** The names of a table's indexes in the current schema (constraints' own indexes included). */
  indexNames(db: AnyKysely, table: string): Promise<Set<string>>;
  /** An autoincrementing integer primary key (SQLite `autoincrement`, PostgreSQL identity). */
  idColumn(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** A column default of the current time as ISO-8601 UTC text with milliseconds, like `toISOString()`. */
  isoNow(): RawBuilder<string>;
  /**
   * A time as stored text, normalized to ISO-8601 UTC on SQLite when it parses as a time (ADW writes
   * `YYYY-MM-DD HH:MM:SS`) and kept as written otherwise; as it is on PostgreSQL.
   */
  normalizedTime(time: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * Makes the rows that the previous owner of an adopted `workflow_history` (ADW, which writes SQLite files)
   * keeps inserting with only `adw_id` get their `workflow_id` and `workflow_time` (`workflowTime`): an
   * SQLite trigger. Nothing on PostgreSQL.
   */
  fillIdsOfAdoptedInserts(db: AnyKysely, workflowTime: RawBuilder<unknown>): Promise<void>;
}
