import { sql } from "kysely";
import { multiRowInsertWriter, wholeChunkSizes } from "../multi-row-insert.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";
import type { Engine } from "./engine.js";

/** Values per locking statement. */
const LOCK_CHUNK = 500;

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

  async lockRows(trx, table, column, values) {
    if (values.length === 0) return;
    const sorted = [...new Set(values)].sort();
    for (let i = 0; i < sorted.length; i += LOCK_CHUNK)
      await sql`select ${sql.ref(column)} from ${sql.table(table)}
        where ${sql.ref(column)} in (${sql.join(sorted.slice(i, i + LOCK_CHUNK))})
        order by ${sql.ref(column)} for no key update`.execute(trx);
  },
  async lockPatternRows(trx, ids, now) {
    // One row at a time, so that they are locked in the order given.
    const rows: OperationPattern[] = [];
    for (const id of ids)
      rows.push(
        await trx
          .updateTable("operation_patterns")
          .set({ updated_at: now })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    return rows;
  },

  readerFile: async () => undefined,
  hasRoomToWrite: () => true,

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
