import { createDetector, occurrencesOfRun } from "@patternloop/core";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { recordOccurrences } from "../patterns/record-occurrences.js";
import { insertRuns } from "../runs/insert-runs.js";
import type { Database } from "../schema/database.js";
import { foldPatternTallies } from "../tallies/fold-pattern-tallies.js";
import { tallyRuns } from "../test-support/tally-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { backfillPatterns } from "./backfill-patterns.js";

const runs = (from: number, count: number) => tallyRuns(from, count, { failEvery: 7 });

/** The stored tallies and their watermark, exactly as stored. */
async function storedTallies(db: Kysely<Database>) {
  return {
    watermark: await db.selectFrom("pattern_tally_watermark").selectAll().execute(),
    commands: await db.selectFrom("pattern_command_tallies").selectAll().orderBy("pattern_id").execute(),
    pairs: (
      await db.selectFrom("pattern_pair_tallies").selectAll().orderBy(["pattern_id", "other_id"]).execute()
    ).map((row) => ({ ...row, same_run: Number(row.same_run), same_command: Number(row.same_command) })),
  };
}

/** The tallies a fold of every stored occurrence writes, from none. */
async function refolded(db: Kysely<Database>) {
  await db.updateTable("pattern_tally_watermark").set({ folded_through: 0, folded_count: 0 }).execute();
  await db.deleteFrom("pattern_command_tallies").execute();
  await db.deleteFrom("pattern_pair_tallies").execute();
  await foldPatternTallies(db);
  return storedTallies(db);
}

const detect = createDetector();

for (const engine of ENGINES) {
  describe(`the tallies a backfill counts as it stores occurrences (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("are, byte for byte, those a fold of its occurrences writes", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 40)));
      await backfillPatterns(db, { batchSize: 7 });
      const counted = await storedTallies(db);
      expect(counted.commands.length).toBeGreaterThan(2);
      // Pairs that shared a command and pairs that only shared a run.
      expect(counted.pairs.some((pair) => pair.same_command > 0)).toBe(true);
      expect(counted.pairs.some((pair) => pair.same_command === 0)).toBe(true);
      expect(counted).toEqual(await refolded(db));
    });

    it("count an occurrence a completion stored beside the backfill", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 30)));
      const [live] = runs(100, 1);
      if (live === undefined) throw new Error("no run");
      let completion: Promise<unknown> | undefined;
      await backfillPatterns(db, {
        batchSize: 10,
        onProgress: () => {
          // A completion after the first batch: a run that is not in this backfill's queue.
          completion ??= db.transaction().execute(async (trx) => {
            await insertRuns(trx, [live]);
            await recordOccurrences(trx, [
              { workflow_id: live.workflow_id, occurrences: occurrencesOfRun(live, detect(live)) },
            ]);
          });
        },
      });
      await completion;
      // What a read sees (on PostgreSQL the completion may commit after the backfill ends).
      await foldPatternTallies(db);
      const counted = await storedTallies(db);
      expect(counted.commands.length).toBeGreaterThan(2);
      expect(counted).toEqual(await refolded(db));
    });

    it("are right when a read folds during the backfill", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 30)));
      let folds: Promise<unknown> | undefined;
      await backfillPatterns(db, {
        batchSize: 10,
        onProgress: () => {
          folds ??= foldPatternTallies(db);
        },
      });
      await folds;
      await foldPatternTallies(db);
      const counted = await storedTallies(db);
      expect(counted).toEqual(await refolded(db));
    });
  });
}
