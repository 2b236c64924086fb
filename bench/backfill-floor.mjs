// @ts-check
// The floor of the backfill benchmark: what the occurrence rows of a backfill cost to insert with nothing else
// to do. See README.md. Plain JavaScript, like backfill-worker.mjs, which runs it.
import { createRequire } from "node:module";

/**
 * What the floor uses of a better-sqlite3 database.
 * @typedef {{ pragma(source: string): unknown; exec(source: string): void;
 *   prepare(source: string): SqliteStatement; close(): void }} SqliteDatabase
 * @typedef {{ raw(): SqliteStatement; get(...parameters: unknown[]): unknown;
 *   all(...parameters: unknown[]): unknown[][]; run(...parameters: unknown[]): unknown }} SqliteStatement
 */

/**
 * `better-sqlite3`, a dependency of packages/db (not of the workspace root).
 * @returns {new (path: string) => SqliteDatabase}
 */
function betterSqlite3() {
  return createRequire(import.meta.resolve("@patternloop/db"))("better-sqlite3");
}

const COLUMNS =
  "pattern_id, workflow_id, workflow_time, tokens_attributed, cost_attributed, attribution, evidence, detected_at";
const READ_PAGE = 20_000;

/**
 * Seconds that raw better-sqlite3 takes to insert the occurrence rows a backfill stored in `path`, one
 * prepared statement per row, all in one transaction, into a copy of `pattern_occurrences` (same columns,
 * constraints, foreign keys and indexes, so the same work per row), with the pragmas patternloop opens
 * SQLite with. Only the inserts and the commit are timed; the rows are read from the backfill's table
 * beforehand, a page at a time. The copy stays (the benchmark removes the file).
 *
 * @param {string} path
 * @returns {{ seconds: number, rows: number }}
 */
export function measureInsertFloor(path) {
  const Database = betterSqlite3();
  const db = new Database(path);
  try {
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    const { sql } = /** @type {{ sql: string }} */ (
      db.prepare("select sql from sqlite_master where type = 'table' and name = 'pattern_occurrences'").get()
    );
    db.exec(
      sql
        .replace('"pattern_occurrences"', '"floor_occurrences"')
        .replaceAll("pattern_occurrences_", "floor_"),
    );
    db.exec('create index "floor_workflow_id_idx" on "floor_occurrences" ("workflow_id")');
    const insert = db.prepare(`insert into floor_occurrences (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?)`);
    const read = db
      .prepare(`select id, ${COLUMNS} from pattern_occurrences where id > ? order by id limit ?`)
      .raw();
    let milliseconds = 0;
    let rows = 0;
    let last = 0;
    db.exec("begin immediate");
    for (;;) {
      const page = read.all(last, READ_PAGE);
      const tail = page[page.length - 1];
      if (tail === undefined) break;
      last = /** @type {number} */ (tail[0]);
      const started = performance.now();
      for (const row of page) insert.run(row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]);
      milliseconds += performance.now() - started;
      rows += page.length;
    }
    const started = performance.now();
    db.exec("commit");
    milliseconds += performance.now() - started;
    return { seconds: milliseconds / 1000, rows };
  } finally {
    db.close();
  }
}
