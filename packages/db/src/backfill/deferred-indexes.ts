import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

/**
 * The secondary indexes of `pattern_occurrences`, as their migrations create them: the table a backfill
 * fills. Each occurrence inserted one at a time lands at a random place in each of them; built once over the
 * whole table, they are one sort. The unique index on (pattern_id, workflow_id) is not among them: it is
 * what `on conflict` of every occurrence insert names, and it is part of the table's definition.
 */
const DEFERRED_INDEXES = [
  { name: "pattern_occurrences_workflow_id_idx", columns: ["workflow_id"] },
  {
    name: "pattern_occurrences_pattern_id_time_cost_idx",
    columns: ["pattern_id", "workflow_time", "cost_attributed"],
  },
  {
    name: "pattern_occurrences_attribution_idx",
    columns: ["pattern_id", "attribution", "tokens_attributed", "cost_attributed"],
  },
] as const;

/**
 * Below this many runs to record, a backfill keeps the indexes: building them over the table costs more than
 * maintaining them for a few thousand runs, and dropping them would slow every other reader for nothing.
 */
export const BULK_LOAD_MIN_RUNS = 10_000;

/**
 * Whether a backfill of `pending` runs loads without the deferred indexes: a large one, into an occurrence
 * table that is empty (a first backfill) or whose indexes are gone already (a bulk load interrupted before
 * it rebuilt them, which this one carries on).
 */
export async function shouldBulkLoad(db: Kysely<Database>, pending: number): Promise<boolean> {
  if (pending < BULK_LOAD_MIN_RUNS) return false;
  if ((await missingDeferredIndexes(db)).length > 0) return true;
  const any = await db.selectFrom("pattern_occurrences").select("id").limit(1).executeTakeFirst();
  return any === undefined;
}

/** Drops the deferred indexes, each if it is there. */
export async function dropDeferredIndexes(db: Kysely<Database>): Promise<void> {
  for (const index of DEFERRED_INDEXES) await db.schema.dropIndex(index.name).ifExists().execute();
}

/**
 * Builds the deferred indexes that are missing, in one transaction: after it, either every one is there or
 * (killed on the way) none of those it built, and the next backfill builds them again. Nothing to do when
 * they are all there. After building them, the tables a bulk load filled or marked have their planner
 * statistics refreshed (on PostgreSQL: see `Engine.refreshStatistics`); the replay of predictions that
 * follows a backfill reads the occurrences run by run.
 */
export async function buildDeferredIndexes(db: Kysely<Database>): Promise<void> {
  const missing = await missingDeferredIndexes(db);
  if (missing.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const index of missing)
      await trx.schema
        .createIndex(index.name)
        .ifNotExists()
        .on("pattern_occurrences")
        .columns([...index.columns])
        .execute();
  });
  await engineFor(db).refreshStatistics(db, ["pattern_occurrences", "workflow_history"]);
}

async function missingDeferredIndexes(db: Kysely<Database>) {
  const present = await engineFor(db).indexNames(db, "pattern_occurrences");
  return DEFERRED_INDEXES.filter((index) => !present.has(index.name));
}
