import {
  createDetector,
  occurrencesOfRun,
  parseCommandTally,
  patternsRunTogether,
  rankRunTogether,
  summarizeCommands,
  summarizeCommandTally,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { backfillPatterns } from "../backfill/backfill-patterns.js";
import { recordOccurrences } from "../patterns/record-occurrences.js";
import { insertRuns } from "../runs/insert-runs.js";
import { upsertRuns } from "../runs/upsert-runs.js";
import type { Database } from "../schema/database.js";
import { tallyRuns } from "../test-support/tally-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { foldPatternTallies } from "./fold-pattern-tallies.js";

const runs = (from: number, count: number, variant = "") => tallyRuns(from, count, { variant });

/** Each pattern's commands and companions as the stored tallies hold them, without folding first. */
async function stored(db: Kysely<Database>) {
  const tallies = await db.selectFrom("pattern_command_tallies").select(["pattern_id", "tally"]).execute();
  const pairs = await db
    .selectFrom("pattern_pair_tallies as pt")
    .innerJoin("operation_patterns as op", "op.id", "pt.other_id")
    .select(["pt.pattern_id", "op.pattern_signature", "pt.same_command", "pt.same_run"])
    .execute();
  return Object.fromEntries(
    tallies.map((row) => [
      row.pattern_id,
      {
        ...summarizeCommandTally(parseCommandTally(row.tally)),
        run_together: rankRunTogether(
          pairs
            .filter((pair) => pair.pattern_id === row.pattern_id)
            .map((pair) => ({
              pattern_signature: pair.pattern_signature,
              same_command: Number(pair.same_command),
              same_run: Number(pair.same_run),
            })),
        ),
      },
    ]),
  );
}

/** The same figures counted from every occurrence, as they were before any tally was kept. */
async function fromScratch(db: Kysely<Database>) {
  const occurrences = await db
    .selectFrom("pattern_occurrences as po")
    .innerJoin("workflow_history as wh", "wh.workflow_id", "po.workflow_id")
    .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
    .select(["po.pattern_id", "op.pattern_signature", "po.workflow_id", "wh.project", "po.evidence"])
    .orderBy("po.id")
    .execute();
  const ids = [...new Set(occurrences.map((o) => o.pattern_id))];
  return Object.fromEntries(
    ids.map((id) => {
      const own = occurrences.filter((o) => o.pattern_id === id);
      const runsOfOwn = new Set(own.map((o) => o.workflow_id));
      const neighbours = occurrences.filter((o) => o.pattern_id !== id && runsOfOwn.has(o.workflow_id));
      return [id, { ...summarizeCommands(own), run_together: patternsRunTogether(own, neighbours) }];
    }),
  );
}

const detect = createDetector();

for (const engine of ENGINES) {
  describe(`the stored pattern tallies (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("equal a count from scratch after a backfill, without a read folding them first", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 30)));
      await backfillPatterns(db);
      const expected = await fromScratch(db);
      expect(Object.keys(expected).length).toBeGreaterThan(2);
      expect(await stored(db)).toEqual(expected);
    });

    it("equal a count from scratch after a completion records a run's occurrences", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 12)));
      await backfillPatterns(db);
      const [later] = runs(12, 1);
      if (later === undefined) throw new Error("no run");
      await db.transaction().execute(async (trx) => {
        await insertRuns(trx, [later]);
        await recordOccurrences(trx, [
          { workflow_id: later.workflow_id, occurrences: occurrencesOfRun(later, detect(later)) },
        ]);
      });
      expect(await foldPatternTallies(db)).toMatchObject({ recounted: false });
      expect(await stored(db)).toEqual(await fromScratch(db));
    });

    it("equal a count from scratch after a re-backfill replaced some runs' occurrences", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, runs(0, 20)));
      await backfillPatterns(db);
      // Five runs changed at their source: their occurrences are taken back, then detected anew.
      await db.transaction().execute((trx) => upsertRuns(trx, runs(3, 5, " --word-diff")));
      expect(await foldPatternTallies(db)).toMatchObject({ recounted: true });
      expect(await stored(db)).toEqual(await fromScratch(db));
      await backfillPatterns(db);
      expect(await stored(db)).toEqual(await fromScratch(db));
      expect(await foldPatternTallies(db)).toEqual({ folded: 0, recounted: false });
    });
  });
}

// SQLite only: its reads do not wait on I/O, so nothing but the fold's own pauses lets other work run.
describe("a fold of many occurrences (sqlite)", () => {
  const fresh = useFreshDatabase("sqlite");

  it("lets other work on the thread run between its chunks", async () => {
    const { db } = fresh();
    await db.transaction().execute((trx) => insertRuns(trx, runs(0, 800)));
    await backfillPatterns(db);
    // Occurrences removed make the next fold count every occurrence again, several chunks of them.
    await db.transaction().execute((trx) => upsertRuns(trx, runs(0, 1, " --word-diff")));
    let turns = 0;
    let fold = true;
    const tick = () => {
      turns += 1;
      if (fold) setImmediate(tick);
    };
    setImmediate(tick);
    const folded = await foldPatternTallies(db);
    fold = false;
    expect(folded.recounted).toBe(true);
    expect(folded.folded).toBeGreaterThan(2000);
    expect(turns).toBeGreaterThan(1);
  }, 60_000);
});
