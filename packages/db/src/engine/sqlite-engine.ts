import { sql } from "kysely";
import { chunkSizes, multiRowInsertWriter } from "../multi-row-insert.js";
import { hasLittleRoom } from "../sqlite/little-room.js";
import type { Engine } from "./engine.js";

const placeholder = () => "?";

/** SQLite (better-sqlite3): one writer at a time, a statement cache, and a driver that is cheap per value. */
export const sqliteEngine: Engine = {
  name: "sqlite",

  placeholder,
  multiRowInsertSql: multiRowInsertWriter(placeholder),
  insertChunkSizes: chunkSizes,
  returningInserted: () => "",
  insertedCount: (result) => Number(result.numAffectedRows ?? 0),
  async insertedRows(trx, result, table, columns, count) {
    // The rows inserted took ascending ids up to the last one, after any row that existed before.
    const { rows } = await sql<never>`
      select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)}
      where "id" <= ${Number(result.insertId)} order by "id" desc limit ${count}`.execute(trx);
    return rows.reverse();
  },
  inList: (values) => sql`(select value from json_each(${JSON.stringify(values)}))`,
  jsonArrayAgg: (expression, order) => sql`json_group_array(${expression} order by ${order})`,
  fromWithIndex: (table, index) => sql.raw(`${table} indexed by ${index}`),
  packsCallsAsJson: true,
  updatesFromArrays: false,

  // The write transaction (`BEGIN IMMEDIATE`) already holds the file's only write lock.
  forWrite: (query) => query,

  async readerFile(db) {
    const { rows } = await sql<{ file: string; journal: string }>`
      select (select file from pragma_database_list where name = 'main') as file,
        (select journal_mode from pragma_journal_mode) as journal`.execute(db);
    const row = rows[0];
    return row === undefined || row.file === "" || row.journal.toLowerCase() !== "wal" ? undefined : row.file;
  },
  hasRoomToWrite: (url) => !hasLittleRoom(url.replace(/^sqlite:/, "")),
  async setCheckpointPages(db, pages) {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    // A pragma takes no bound parameter: the value is written in, a whole number checked first.
    if (!Number.isSafeInteger(pages) || pages < 0) throw new RangeError(`not a page count: ${pages}`);
    await sql.raw(`pragma wal_autocheckpoint = ${pages}`).execute(db);
    return rows[0]?.wal_autocheckpoint;
  },
  // No `ANALYZE`: see the interface.
  refreshStatistics: async () => undefined,

  async hasMigrationTable(db) {
    const { rows } =
      await sql`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
    return rows.length > 0;
  },
  async createMigrationTables(db) {
    // kysely's own bookkeeping tables, created as kysely creates them.
    await db.transaction().execute(async (trx) => {
      await sql`create table if not exists "kysely_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null)`.execute(
        trx,
      );
      await sql`create table if not exists "kysely_migration_lock" ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null)`.execute(
        trx,
      );
      await sql`insert into "kysely_migration_lock" ("id", "is_locked") values ('migration_lock', 0) on conflict do nothing`.execute(
        trx,
      );
    });
  },
  async tableExists(db, table) {
    const { rows } =
      await sql`select 1 from sqlite_master where type in ('table', 'view') and name = ${table}`.execute(db);
    return rows.length > 0;
  },
  async columnNames(db, table) {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    return new Set(rows.map((row) => row.name));
  },
  async indexNames(db, table) {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = ${table}`.execute(db);
    return new Set(rows.map((row) => row.name));
  },
  idColumn: (column) => column.primaryKey().autoIncrement(),
  isoNow: () => sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  normalizedTime: (time) => sql`coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', ${time}), ${time})`,
  async fillIdsOfAdoptedInserts(db, workflowTime) {
    await sql`
      create trigger if not exists workflow_history_fill_ids
      after insert on workflow_history
      when new.workflow_id is null or new.workflow_time is null
      begin
        update workflow_history
        set workflow_id = coalesce(workflow_id, adw_id),
            workflow_time = coalesce(workflow_time, ${workflowTime})
        where rowid = new.rowid;
      end`.execute(db);
  },
};
