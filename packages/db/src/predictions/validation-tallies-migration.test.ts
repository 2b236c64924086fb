import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { up } from "../migrations/2026-12-06-0024-validation-tallies.js";
import { insertPattern, insertWorkflows } from "../test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { recordPredictions } from "./record-predictions.js";
import { validateStoredPredictionsOfRuns } from "./validate-predictions.js";

const A = "test:pytest:backend";
const B = "git:diff:summary";
const C = "format:prettier:all";

for (const engine of ENGINES) {
  describe(`the validation tallies migration (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("fills, from a history validated before it, what validation keeps since", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "r1", "r2", "r3");
      const ids: Record<string, number> = {
        [A]: await insertPattern(db, A),
        [B]: await insertPattern(db, B),
        [C]: await insertPattern(db, C),
      };
      const had: Record<string, string[]> = { r1: [A, B], r2: [A, C], r3: [B] };
      await db
        .insertInto("pattern_occurrences")
        .values(
          Object.entries(had).flatMap(([workflow_id, signatures]) =>
            signatures.map((signature) => ({ pattern_id: ids[signature] as number, workflow_id })),
          ),
        )
        .execute();
      await db.transaction().execute(async (trx) => {
        const predicting = (...signatures: string[]) =>
          signatures.map((signature) => ({ signature, confidence: 60, reason: "test" }));
        await recordPredictions(trx, "r1", predicting(A, C));
        await recordPredictions(trx, "r2", predicting(A));
        await validateStoredPredictionsOfRuns(
          trx,
          Object.entries(had).map(([workflow_id, actual]) => ({ workflow_id, actual })),
        );
      });
      const read = async () => ({
        tallies: await db
          .selectFrom("validation_tallies")
          .selectAll()
          .orderBy("pattern_id")
          .orderBy("replayed")
          .orderBy("day")
          .execute(),
        missed: await db
          .selectFrom("operation_patterns")
          .select(["id", "missed_count"])
          .orderBy("id")
          .execute(),
      });
      const kept = await read();
      // r1 missed B, r2 missed C; r3 had no prediction, so its B is no miss.
      expect(kept.missed.map((row) => row.missed_count)).toEqual([0, 1, 1]);
      expect(kept.tallies.map((row) => [row.validations, row.correct])).toEqual([
        [2, 2],
        [1, 0],
      ]);

      // The schema as a database written before the tallies has it, then the migration.
      await sql`drop table validation_tallies`.execute(db);
      await sql`alter table operation_patterns drop column missed_count`.execute(db);
      await up(db);
      expect(await read()).toEqual(kept);
    });
  });
}
