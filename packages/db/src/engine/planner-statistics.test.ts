import { createDetector, occurrencesOfRun } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { buildDeferredIndexes, dropDeferredIndexes } from "../backfill/deferred-indexes.js";
import { recordOccurrences } from "../patterns/record-occurrences.js";
import { insertRuns } from "../runs/insert-runs.js";
import { loadInBulk } from "../runs/load-in-bulk.js";
import type { Database } from "../schema/database.js";
import { tallyRuns } from "../test-support/tally-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";

type Table = "workflow_history" | "workflow_tool_calls" | "pattern_occurrences";

/**
 * Whether PostgreSQL holds column statistics of a table (`pg_stats`, written only by `ANALYZE`): without
 * them the planner guesses how many rows a list of runs matches. Building an index counts the table's rows
 * (`reltuples`) but writes no column statistics.
 */
async function hasColumnStatistics(db: Kysely<Database>, table: Table): Promise<boolean> {
  const { rows } = await sql`
    select 1 from pg_stats where schemaname = current_schema() and tablename = ${table} limit 1`.execute(db);
  return rows.length > 0;
}

async function storedRows(db: Kysely<Database>, table: Table): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether SQLite's `ANALYZE` ever wrote statistics into the file. */
async function hasSqliteStatistics(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql`select name from sqlite_master where name = 'sqlite_stat1'`.execute(db);
  return rows.length > 0;
}

const detect = createDetector();

for (const engine of ENGINES) {
  describe(`planner statistics after a bulk load (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("are counted for the runs' tables once a load of runs ends (PostgreSQL; never on SQLite)", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, tallyRuns(0, 2)));
      if (engine === "postgres") expect(await hasColumnStatistics(db, "workflow_history")).toBe(false);
      await loadInBulk(db, () => db.transaction().execute((trx) => insertRuns(trx, tallyRuns(2, 5))));
      if (engine === "sqlite") {
        expect(await hasSqliteStatistics(db)).toBe(false);
        return;
      }
      for (const table of ["workflow_history", "workflow_tool_calls"] as const)
        expect(await hasColumnStatistics(db, table)).toBe(true);
      expect(await storedRows(db, "workflow_history")).toBe(7);
    });

    it("are counted for the occurrences once the deferred indexes are built (PostgreSQL; never on SQLite)", async () => {
      const { db } = fresh();
      await dropDeferredIndexes(db);
      const runs = tallyRuns(0, 6);
      await db.transaction().execute(async (trx) => {
        await insertRuns(trx, runs);
        await recordOccurrences(
          trx,
          runs.map((run) => ({
            workflow_id: run.workflow_id,
            occurrences: occurrencesOfRun(run, detect(run)),
          })),
        );
      });
      const occurrences = await storedRows(db, "pattern_occurrences");
      expect(occurrences).toBeGreaterThan(6);
      if (engine === "postgres") expect(await hasColumnStatistics(db, "pattern_occurrences")).toBe(false);
      await buildDeferredIndexes(db);
      if (engine === "sqlite") expect(await hasSqliteStatistics(db)).toBe(false);
      else expect(await hasColumnStatistics(db, "pattern_occurrences")).toBe(true);
    });
  });
}
