import {
  accuracyByType,
  checkIntegrity,
  errorRates,
  type PatternloopDatabase,
  patternAccuracyByDay,
  patternMetrics,
  recordPredictions,
  storeReplayedPredictions,
  validateStoredPredictionsOfRuns,
  validationSummary,
  validationTrend,
} from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { A, B, C, doing, predicting } from "../test-support/example-runs.js";
import { completeRuns } from "./complete-runs.js";
import { startRun } from "./start-run.js";

/** Runs with what was predicted at their start (none: no prediction) and what they did. */
const RUNS: { id: string; predicted: string[]; actual: string[] }[] = [
  { id: "wf1", predicted: [A], actual: [A] },
  { id: "wf2", predicted: [A, B, C], actual: [A, B] },
  { id: "wf3", predicted: [A], actual: [A, B, C] },
  { id: "wf4", predicted: [B], actual: [C] },
  { id: "wf5", predicted: [], actual: [A, B] },
  { id: "wf6", predicted: [C], actual: [] },
];

/** The stored history, and the validation figures recounted from its rows (the definitions, in plain code). */
async function recount(handle: PatternloopDatabase) {
  const { db } = handle;
  const predictions = await db.selectFrom("pattern_predictions").selectAll().execute();
  const occurrences = await db.selectFrom("pattern_occurrences").selectAll().execute();
  const patterns = await db.selectFrom("operation_patterns").selectAll().execute();
  const validated = predictions.filter((p) => p.validated_at !== null);
  const validatedRuns = new Set(validated.map((p) => p.workflow_id));
  const predictedPairs = new Set(predictions.map((p) => `${p.workflow_id} ${p.pattern_id}`));
  const perPattern = patterns
    .map((pattern) => {
      const mine = validated.filter((p) => p.pattern_id === pattern.id);
      const tp = mine.filter((p) => p.was_correct === 1).length;
      const fn = occurrences.filter(
        (o) =>
          o.pattern_id === pattern.id &&
          validatedRuns.has(o.workflow_id) &&
          !predictedPairs.has(`${o.workflow_id} ${pattern.id}`),
      ).length;
      return {
        signature: pattern.pattern_signature,
        type: pattern.pattern_type,
        tp,
        fp: mine.length - tp,
        fn,
      };
    })
    .filter((row) => row.tp + row.fp + row.fn > 0)
    .sort((a, b) => (a.signature < b.signature ? -1 : 1));
  const origin = (replayed: number) => {
    const rows = validated.filter((p) => p.replayed === replayed);
    return {
      predictions: predictions.filter((p) => p.replayed === replayed).length,
      validations: rows.length,
      correct: rows.filter((p) => p.was_correct === 1).length,
    };
  };
  return { validated, perPattern, live: origin(0), replayed: origin(1) };
}

for (const engine of ENGINES) {
  describe(`validation figures kept where predictions are validated (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const quiet = { log: () => {} };

    /** Every run started, all completed in one batch, a run without predictions replayed, one left open. */
    async function history(handle: PatternloopDatabase) {
      for (const run of RUNS)
        await startRun(
          handle,
          { workflow_id: run.id, nl_input: "fix it", predictions: predicting(...run.predicted) },
          createPredictor(),
        );
      await completeRuns(
        handle,
        RUNS.map((run) => ({
          workflowId: run.id,
          completion: { status: "completed" as const, tool_calls: doing(...run.actual) },
        })),
        quiet,
      );
      await storeReplayedPredictions(handle.db, [
        { workflow_id: "wf5", predictions: predicting(A, C), actual: [A, B] },
      ]);
      // Still open: its predictions are made, not validated.
      await startRun(
        handle,
        { workflow_id: "wf7", nl_input: "fix it", predictions: predicting(A, B) },
        createPredictor(),
      );
    }

    it("reads the same figures as a recount of the predictions and occurrences", async () => {
      const { handle } = fresh();
      await history(handle);
      const expected = await recount(handle);
      // The history has both origins, right and wrong predictions and misses, so each figure is exercised.
      expect(expected.live).toEqual({ predictions: 9, validations: 7, correct: 4 });
      expect(expected.replayed).toEqual({ predictions: 2, validations: 2, correct: 1 });

      const summary = await validationSummary(handle.db);
      expect(summary).toMatchObject({
        total_predictions: 11,
        total_validations: 9,
        patterns_with_predictions: 3,
        live: { predictions: 9, validations: 7, accuracy: 4 / 7 },
        replayed: { predictions: 2, validations: 2, accuracy: 1 / 2 },
      });
      expect(summary.overall_accuracy).toBeCloseTo(5 / 9, 10);

      const day = expected.validated[0]?.validated_at?.slice(0, 10);
      expect(await validationTrend(handle.db, 30, new Date(`${day}T12:00:00Z`))).toEqual([
        { day, validations: 9, correct: 5, accuracy: 5 / 9 },
      ]);

      const metrics = await patternMetrics(handle.db);
      expect(
        metrics.map((m) => ({
          signature: m.pattern_signature,
          tp: m.correct,
          fp: m.false_positives,
          fn: m.false_negatives,
        })),
      ).toEqual(expected.perPattern.map(({ type: _, ...row }) => row));
      const sum = (key: "tp" | "fp" | "fn") => expected.perPattern.reduce((n, row) => n + row[key], 0);
      expect(await errorRates(handle.db)).toMatchObject({
        true_positives: sum("tp"),
        false_positives: sum("fp"),
        false_negatives: sum("fn"),
      });
      expect(sum("fn")).toBeGreaterThan(0);

      const byType = new Map<string, { validations: number; correct: number }>();
      for (const p of expected.validated) {
        const type = (
          await handle.db
            .selectFrom("operation_patterns")
            .select("pattern_type")
            .where("id", "=", p.pattern_id)
            .executeTakeFirstOrThrow()
        ).pattern_type;
        const entry = byType.get(type) ?? { validations: 0, correct: 0 };
        entry.validations += 1;
        entry.correct += p.was_correct ?? 0;
        byType.set(type, entry);
      }
      expect(
        (await accuracyByType(handle.db)).map(({ pattern_type, validations, correct }) => ({
          pattern_type,
          validations,
          correct,
        })),
      ).toEqual(
        [...byType]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([pattern_type, entry]) => ({ pattern_type, ...entry })),
      );
      for (const { id } of await handle.db.selectFrom("operation_patterns").select("id").execute()) {
        const mine = expected.validated.filter((p) => p.pattern_id === id);
        const live = mine.filter((p) => p.replayed === 0);
        const correct = (rows: typeof mine) => rows.filter((p) => p.was_correct === 1).length;
        expect(await patternAccuracyByDay(handle.db, id)).toEqual(
          mine.length === 0
            ? []
            : [
                {
                  day,
                  validations: mine.length,
                  correct: correct(mine),
                  accuracy: correct(mine) / mine.length,
                  live_validations: live.length,
                  live_correct: correct(live),
                },
              ],
        );
      }
      expect((await checkIntegrity(handle.db)).violations).toEqual([]);
    });

    it("counts a run's misses once, when its predictions are first validated", async () => {
      const { handle } = fresh();
      await history(handle);
      const missedOf = async () =>
        Object.fromEntries(
          (await patternMetrics(handle.db)).map((m) => [m.pattern_signature, m.false_negatives]),
        );
      const before = await missedOf();
      // Delivered again: nothing new is validated.
      await completeRuns(
        handle,
        [{ workflowId: "wf3", completion: { status: "completed", tool_calls: doing(A, B, C) } }],
        quiet,
      );
      await storeReplayedPredictions(handle.db, [
        { workflow_id: "wf5", predictions: predicting(A, C), actual: [A, B] },
      ]);
      expect(await missedOf()).toEqual(before);
      // A prediction that arrives after the run was validated is validated on its own; the run's other
      // misses (B) were counted when it was first validated and are not counted again.
      await handle.db.transaction().execute(async (trx) => {
        await recordPredictions(trx, "wf3", predicting(C));
        await validateStoredPredictionsOfRuns(trx, [{ workflow_id: "wf3", actual: [A, B, C] }]);
      });
      expect((await missedOf())[B]).toBe(before[B]);
    });

    it("reports tallies that no longer match the predictions in the integrity check", async () => {
      const { handle } = fresh();
      await history(handle);
      await sql`update validation_tallies set correct = correct + 1 where replayed = 1 and correct = 1`.execute(
        handle.db,
      );
      const { violations } = await checkIntegrity(handle.db);
      expect(violations).toEqual([
        {
          code: "validation_tallies_mismatch",
          message: expect.stringMatching(
            /^pattern \d+ replayed \d{4}-\d\d-\d\d: the tally holds 1 validated, 2 correct, a recount gives 1 validated, 1 correct$/,
          ),
        },
      ]);
    });
  });
}
