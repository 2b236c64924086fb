import { sql } from "kysely";
import { multiRowInsertWriter, wholeChunkSizes } from "../multi-row-insert.js";
import type { Engine } from "./engine.js";

const placeholder = (index: number) => `$${index + 1}`;

/** PostgreSQL (pg): writers run at once, each locking the rows it writes. */
export const postgresEngine: Engine = {
  name: "postgres",

  placeholder,
  multiRowInsertSql: multiRowInsertWriter(placeholder),
  insertChunkSizes: wholeChunkSizes,
  returningInserted: (columns) => ` returning id, ${columns.join(", ")}`,
  insertedCount: (result) => result.rows.length,
  insertedRows: async (_trx, result) => result.rows.sort((a, b) => a.id - b.id),
  inList: (values) => sql`(${sql.join(values)})`,
  jsonArrayAgg: (expression, order) => sql`json_agg(${expression} order by ${order})`,
  fromWithIndex: (table) => sql.raw(table),
  packsCallsAsJson: false,
  updatesFromArrays: true,

  // Rows are locked as the sorted rows come out of the sort, so one statement locks them in that order.
  forWrite: (query) => query.forNoKeyUpdate(),

  readerFile: async () => undefined,
  hasRoomToWrite: () => true,
  setCheckpointPages: async () => undefined,
  async refreshStatistics(db, tables) {
    if (tables.length > 0)
      await sql`analyze ${sql.join(tables.map((table) => sql.table(table)))}`.execute(db);
  },

  async hasMigrationTable(db, schema) {
    const { rows } = await sql`
      select 1 from information_schema.tables
      where table_schema = ${schema ?? "public"} and table_name = 'kysely_migration'`.execute(db);
    return rows.length > 0;
  },
  async createMigrationTables() {
    // The Migrator creates them inside its own transaction, under its advisory lock.
  },
  async tableExists(db, table) {
    const { rows } = await sql`
      select 1 from information_schema.tables
      where table_schema = current_schema() and table_name = ${table}`.execute(db);
    return rows.length > 0;
  },
  async columnNames(db, table) {
    const { rows } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`.execute(db);
    return new Set(rows.map((row) => row.name));
  },
  async indexNames(db, table) {
    const { rows } = await sql<{ name: string }>`
      select indexname as name from pg_indexes
      where schemaname = current_schema() and tablename = ${table}`.execute(db);
    return new Set(rows.map((row) => row.name));
  },
  idColumn: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  isoNow: () => sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
  normalizedTime: (time) => time,
  async fillIdsOfAdoptedInserts() {
    // ADW never wrote to PostgreSQL.
  },
};
