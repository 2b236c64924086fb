import { checkIntegrity, type PatternloopDatabase } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { A, B, C, doing, predicting } from "../test-support/example-runs.js";
import { completeRuns } from "./complete-runs.js";
import type { CompleteRunsOptions, CompletionOutcome, RunCompletion } from "./completion-types.js";
import { startRun } from "./start-run.js";

/** Completes one run: a list of one. */
async function completeOne(
  handle: PatternloopDatabase,
  workflowId: string,
  completion: RunCompletion,
  options: CompleteRunsOptions,
): Promise<CompletionOutcome | undefined> {
  const [outcome] = await completeRuns(handle, [{ workflowId, completion }], options);
  return outcome;
}

/** The result of a completion that went through; fails the test otherwise. */
async function completedResult(
  handle: PatternloopDatabase,
  workflowId: string,
  completion: RunCompletion,
  options: CompleteRunsOptions,
) {
  const outcome = await completeOne(handle, workflowId, completion, options);
  if (outcome?.outcome !== "completed") throw new Error(`not completed: ${JSON.stringify(outcome)}`);
  return outcome.result;
}

for (const engine of ENGINES) {
  describe(`validation loop (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const quiet = { log: () => {} };

    it.each([
      {
        predicted: [A],
        actual: [A],
        expected: { correct: 1, accuracy: 1, false_positives: 0, false_negatives: 0 },
      },
      {
        predicted: [A, B, C],
        actual: [A, B],
        expected: { correct: 2, false_positives: 1, false_negatives: 0 },
        accuracy: 0.67,
      },
      { predicted: [A], actual: [A, B, C], expected: { accuracy: 1, false_negatives: 2 }, recall: 0.33 },
    ])(
      "§6 worked example: predicted $predicted, actual $actual",
      async ({ predicted, actual, expected, accuracy, recall }) => {
        const { handle } = fresh();
        await startRun(
          handle,
          { workflow_id: "wf", nl_input: "fix it", predictions: predicting(...predicted) },
          createPredictor(),
        );
        const lines: string[] = [];
        const result = await completedResult(
          handle,
          "wf",
          { status: "completed", tool_calls: doing(...actual) },
          { log: (line) => lines.push(line) },
        );
        expect(result.validation).toMatchObject(expected);
        if (accuracy !== undefined) expect(result.validation?.accuracy).toBeCloseTo(accuracy, 2);
        if (recall !== undefined) expect(result.validation?.recall).toBeCloseTo(recall, 2);
        expect(lines[0]).toMatch(
          /^\[validator\] workflow wf: predicted \d, actual \d, correct \d, accuracy [\d.]+%$/,
        );
        expect((await checkIntegrity(handle.db)).violations).toEqual([]);
      },
    );

    it("skips validation and writes nothing to predictions when a run had none", async () => {
      const { handle, db } = fresh();
      await startRun(
        handle,
        { workflow_id: "wf", nl_input: "do a thing", predictions: [] },
        createPredictor(),
      );
      const result = await completedResult(
        handle,
        "wf",
        { status: "completed", tool_calls: doing(A) },
        quiet,
      );
      expect(result).toMatchObject({ validation: null, validation_skipped: "no_predictions", actual: [A] });
      expect(await db.selectFrom("pattern_predictions").selectAll().execute()).toEqual([]);
      const pattern = await db
        .selectFrom("operation_patterns")
        .selectAll()
        .where("pattern_signature", "=", A)
        .executeTakeFirstOrThrow();
      expect(pattern.prediction_accuracy).toBeNull();
      expect(pattern.occurrence_count).toBe(1);
    });

    it("counts every prediction as a false positive when the run did nothing recognisable", async () => {
      const { handle } = fresh();
      await startRun(handle, { workflow_id: "wf", predictions: predicting(A, B) }, createPredictor());
      const result = await completedResult(
        handle,
        "wf",
        { status: "completed", tool_calls: [{ tool_name: "Read", tool_input: { file_path: "a.ts" } }] },
        quiet,
      );
      expect(result.validation).toMatchObject({
        predicted: 2,
        actual: 0,
        correct: 0,
        false_positives: 2,
        accuracy: 0,
        recall: null,
      });
    });

    it("records a failed run's occurrences but validates nothing", async () => {
      const { handle, db } = fresh();
      await startRun(handle, { workflow_id: "wf", predictions: predicting(A) }, createPredictor());
      const result = await completedResult(
        handle,
        "wf",
        { status: "failed", error_message: "boom", tool_calls: doing(A) },
        quiet,
      );
      expect(result).toMatchObject({ validation: null, validation_skipped: "failed_run" });
      expect(
        await db.selectFrom("pattern_predictions").select(["was_correct", "validated_at"]).execute(),
      ).toEqual([{ was_correct: null, validated_at: null }]);
      expect((await db.selectFrom("pattern_occurrences").selectAll().execute()).length).toBe(1);
    });

    it("is idempotent: the same start and completion twice equal once", async () => {
      const { handle, db } = fresh();
      const first = await startRun(
        handle,
        { workflow_id: "wf", predictions: predicting(A, C) },
        createPredictor(),
      );
      const again = await startRun(
        handle,
        { workflow_id: "wf", predictions: predicting(B) },
        createPredictor(),
      );
      expect(again).toEqual({ ...first, created: false });
      const lines: string[] = [];
      const done = await completedResult(
        handle,
        "wf",
        { status: "completed", tool_calls: doing(A, B) },
        { log: (line) => lines.push(line) },
      );
      const snapshot = async () => ({
        patterns: await db
          .selectFrom("operation_patterns")
          .select([
            "pattern_signature",
            "occurrence_count",
            "validated_count",
            "correct_count",
            "prediction_accuracy",
          ])
          .orderBy("pattern_signature")
          .execute(),
        calls: await db
          .selectFrom("workflow_tool_calls")
          .select(["seq", "tool_use_id"])
          .orderBy("seq")
          .execute(),
        predictions: await db
          .selectFrom("pattern_predictions")
          .select(["pattern_signature", "was_correct", "validated_at"])
          .orderBy("pattern_signature")
          .execute(),
      });
      const before = await snapshot();
      const twice = await completedResult(
        handle,
        "wf",
        { status: "completed", tool_calls: doing(A, B) },
        { log: (line) => lines.push(line) },
      );
      expect(twice).toEqual({ ...done, recorded: false });
      expect(await snapshot()).toEqual(before);
      expect(lines.filter((line) => line.startsWith("[validator] workflow")).length).toBe(1);
      expect(await completeOne(handle, "wf", { status: "failed" }, quiet)).toEqual({
        outcome: "already_finished",
        workflowId: "wf",
        status: "completed",
        message: 'run "wf" already ended as completed',
      });
      expect(await completeOne(handle, "nope", { status: "completed" }, quiet)).toEqual({
        outcome: "unknown_run",
        workflowId: "nope",
        message: 'no run "nope": register it with a run start first',
      });
    });

    it("keeps prediction_accuracy equal to a recount under concurrent writers", async () => {
      const { handle, url } = fresh();
      const { createDatabase } = await import("@patternloop/db");
      // One process holds one handle per SQLite file (better-sqlite3 is synchronous); PostgreSQL gets a second pool.
      const other = engine === "postgres" ? await createDatabase(url) : handle;
      try {
        const runs = Array.from({ length: 24 }, (_, i) => `wf-${i}`);
        await Promise.all(
          runs.map((id, i) =>
            startRun(
              i % 2 ? handle : other,
              { workflow_id: id, predictions: predicting(A, B) },
              createPredictor(),
            ),
          ),
        );
        await Promise.all(
          runs.map((id, i) =>
            completedResult(
              i % 2 ? other : handle,
              id,
              { status: "completed", tool_calls: doing(...(i % 3 ? [A] : [A, B, C])) },
              quiet,
            ),
          ),
        );
        const pattern = await handle.db
          .selectFrom("operation_patterns")
          .selectAll()
          .where("pattern_signature", "=", B)
          .executeTakeFirstOrThrow();
        expect(pattern.validated_count).toBe(24);
        expect(pattern.correct_count).toBe(8);
        expect(pattern.prediction_accuracy).toBe(8 / 24);
        expect((await checkIntegrity(handle.db)).violations).toEqual([]);
      } finally {
        if (other !== handle) await other.close();
      }
    });
  });
}

describe("a validation error (sqlite)", () => {
  const fresh = useFreshDatabase("sqlite");
  it("is logged and never fails or undoes the status update", async () => {
    const { handle, db } = fresh();
    await startRun(handle, { workflow_id: "wf", predictions: predicting(A) }, createPredictor());
    const { sql } = await import("kysely");
    await sql`create trigger refuse before update on pattern_predictions begin select raise(abort, 'validation refused'); end`.execute(
      db,
    );
    const errors: string[] = [];
    const result = await completedResult(
      handle,
      "wf",
      { status: "completed", tool_calls: doing(A) },
      { log: () => {}, logError: (line) => errors.push(line) },
    );
    expect(result).toMatchObject({
      status: "completed",
      validation: null,
      validation_skipped: "validation_error",
      actual: [A],
    });
    expect(errors).toEqual([
      expect.stringMatching(/^\[validator\] workflow wf: validation failed: .*validation refused/),
    ]);
    expect((await db.selectFrom("workflow_history").select("status").executeTakeFirstOrThrow()).status).toBe(
      "completed",
    );
  });
});
