import { describe, expect, it } from "vitest";
import { insertPattern, newWorkflow } from "../test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { recordPredictions } from "./record-predictions.js";
import { storeReplayedPredictions } from "./store-replayed-predictions.js";

const A = "test:pytest:backend";
const B = "lint:ruff:check";
const C = "git:diff:summary";
/** A signature no run has shown: the request named it. */
const NAMED = "build:docker:image";

const predicting = (...signatures: string[]) =>
  signatures.map((signature) => ({ signature, confidence: 80, reason: "replayed" }));

for (const engine of ENGINES) {
  describe(`storeReplayedPredictions (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("writes each prediction validated, and counts hits, misses and tallies as validating it would", async () => {
      const { db } = fresh();
      await db
        .insertInto("workflow_history")
        .values(["r1", "r2", "r3", "r4", "live"].map((id) => newWorkflow(id)))
        .execute();
      for (const signature of [A, B, C]) await insertPattern(db, signature);
      // A live prediction, not validated yet: the replay must leave its run alone.
      await recordPredictions(db, "live", predicting(B));
      const r1 = { workflow_id: "r1", predictions: predicting(A, C), actual: [A, B] };
      const runs = [
        r1,
        { workflow_id: "r2", predictions: predicting(A), actual: [A] },
        // Nothing predicted, nothing stored: the run is not validated, so B is not missed.
        { workflow_id: "r3", predictions: [], actual: [B] },
        { workflow_id: "r4", predictions: predicting(NAMED), actual: [B] },
        { workflow_id: "live", predictions: predicting(A), actual: [A, B] },
        // Listed twice, counted once.
        r1,
      ];

      expect(await storeReplayedPredictions(db, runs)).toEqual({ predictions: 3, runs: 2 });
      const predictions = () =>
        db
          .selectFrom("pattern_predictions")
          .select(["workflow_id", "pattern_signature", "was_correct", "replayed", "validation_notes"])
          .select((eb) => eb("validated_at", "is not", null).as("validated"))
          .orderBy("workflow_id")
          .orderBy("pattern_signature")
          .execute();
      const stored = await predictions();
      expect(stored.map((row) => ({ ...row, validated: Boolean(row.validated) }))).toEqual([
        {
          workflow_id: "live",
          pattern_signature: B,
          was_correct: null,
          replayed: 0,
          validation_notes: null,
          validated: false,
        },
        {
          workflow_id: "r1",
          pattern_signature: C,
          was_correct: 0,
          replayed: 1,
          validation_notes: "replayed by backfill",
          validated: true,
        },
        {
          workflow_id: "r1",
          pattern_signature: A,
          was_correct: 1,
          replayed: 1,
          validation_notes: "replayed by backfill",
          validated: true,
        },
        {
          workflow_id: "r2",
          pattern_signature: A,
          was_correct: 1,
          replayed: 1,
          validation_notes: "replayed by backfill",
          validated: true,
        },
      ]);
      const counts = () =>
        db
          .selectFrom("operation_patterns")
          .select([
            "pattern_signature",
            "validated_count",
            "correct_count",
            "missed_count",
            "prediction_accuracy",
          ])
          .orderBy("pattern_signature")
          .execute();
      // A: right twice. B: shown by r1, which was validated, and not predicted. C: predicted once, wrongly.
      expect(await counts()).toEqual([
        {
          pattern_signature: C,
          validated_count: 1,
          correct_count: 0,
          missed_count: 0,
          prediction_accuracy: 0,
        },
        {
          pattern_signature: B,
          validated_count: 0,
          correct_count: 0,
          missed_count: 1,
          prediction_accuracy: null,
        },
        {
          pattern_signature: A,
          validated_count: 2,
          correct_count: 2,
          missed_count: 0,
          prediction_accuracy: 1,
        },
      ]);
      const tallies = () =>
        db
          .selectFrom("validation_tallies as t")
          .innerJoin("operation_patterns as p", "p.id", "t.pattern_id")
          .select(["p.pattern_signature", "t.replayed", "t.validations", "t.correct"])
          .orderBy("p.pattern_signature")
          .execute();
      expect(await tallies()).toEqual([
        { pattern_signature: C, replayed: 1, validations: 1, correct: 0 },
        { pattern_signature: A, replayed: 1, validations: 2, correct: 2 },
      ]);

      // Twice is once: every run has its predictions now.
      expect(await storeReplayedPredictions(db, runs)).toEqual({ predictions: 0, runs: 0 });
      expect(await predictions()).toEqual(stored);
      expect((await counts())[2]).toMatchObject({ validated_count: 2, correct_count: 2 });
    });
  });
}
