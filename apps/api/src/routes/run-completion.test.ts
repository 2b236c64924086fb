import { checkIntegrity } from "@patternloop/db";
import { describe, expect, it } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../../test/support/db-snapshot.js";
import { A, B, C, predictions, toolCalls } from "../../test/support/workload.js";

for (const engine of ENGINES) {
  describe(`POST /v1/runs/{id}/complete (${engine})`, () => {
    const api = useApi(engine);

    it.each([
      {
        predicted: [A],
        actual: [A],
        expected: {
          predicted: 1,
          actual: 1,
          correct: 1,
          accuracy: 1,
          false_positives: 0,
          false_negatives: 0,
        },
      },
      {
        predicted: [A, B, C],
        actual: [A, B],
        expected: { predicted: 3, actual: 2, correct: 2, false_positives: 1, false_negatives: 0, recall: 1 },
        accuracy: 0.67,
      },
      {
        predicted: [A],
        actual: [A, B, C],
        expected: {
          predicted: 1,
          actual: 3,
          correct: 1,
          accuracy: 1,
          false_positives: 0,
          false_negatives: 2,
        },
        recall: 0.33,
      },
    ])(
      "§6 worked example: predicted $predicted, actual $actual",
      async ({ predicted, actual, expected, accuracy, recall }) => {
        const { app, db, logs } = await api();
        await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(...predicted) });
        const answer = await post(app, "/v1/runs/wf-1/complete", {
          status: "completed",
          tool_calls: toolCalls(...actual),
        });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ workflow_id: "wf-1", status: "completed", recorded: true });
        expect([...answer.body.actual].sort()).toEqual([...actual].sort());
        expect(answer.body.validation).toMatchObject(expected);
        if (accuracy !== undefined) expect(answer.body.validation.accuracy).toBeCloseTo(accuracy, 2);
        if (recall !== undefined) expect(answer.body.validation.recall).toBeCloseTo(recall, 2);
        const validated = await db
          .selectFrom("pattern_predictions")
          .select(["pattern_signature", "was_correct", "validated_at"])
          .execute();
        for (const row of validated) {
          expect(row.was_correct).toBe(actual.includes(row.pattern_signature) ? 1 : 0);
          expect(row.validated_at).not.toBeNull();
        }
        expect(logs).toContain(
          `[validator] workflow wf-1: predicted ${expected.predicted}, actual ${expected.actual}, correct ${expected.correct}, accuracy ${(answer.body.validation.accuracy * 100).toFixed(2)}%`,
        );
        expect((await checkIntegrity(db)).violations).toEqual([]);
      },
    );

    it("logs a workflow_id holding a line break as one escaped line, so it cannot forge a second", async () => {
      const { app, logs } = await api();
      const forged = "wf-1\n[validator] workflow wf-2: predicted 9, actual 9, correct 9, accuracy 100.00%";
      await post(app, "/v1/runs", { workflow_id: forged, predictions: predictions(A) });
      const answer = await post(app, `/v1/runs/${encodeURIComponent(forged)}/complete`, {
        status: "completed",
        tool_calls: toolCalls(A),
      });
      expect(answer.status).toBe(200);
      expect(logs).toContain(
        "[validator] workflow wf-1\\n[validator] workflow wf-2: predicted 9, actual 9, correct 9, accuracy 100.00%: predicted 1, actual 1, correct 1, accuracy 100.00%",
      );
      for (const line of logs) expect(line).not.toMatch(/[\n\r]/);
    });

    it("reports null, not 0, for a ratio whose denominator is 0 (no actual patterns)", async () => {
      const { app } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(A) });
      const answer = await post(app, "/v1/runs/wf-1/complete", { status: "completed", tool_calls: [] });
      expect(answer.status).toBe(200);
      expect(answer.body.validation).toMatchObject({ correct: 0, false_positives: 1, recall: null });
    });

    it("answers 404 for a run never started, and writes nothing", async () => {
      const { app, db } = await api();
      const before = await snapshotDatabase(db);
      const answer = await post(app, "/v1/runs/nobody/complete", {
        status: "completed",
        tool_calls: toolCalls(A),
      });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({
        code: expect.any(String),
        message: expect.stringContaining("nobody"),
      });
      await expectUnchanged(db, before);
    });

    it("answers 409 when a completed run is reported failed, and changes nothing", async () => {
      const { app, db } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(A) });
      await post(app, "/v1/runs/wf-1/complete", { status: "completed", tool_calls: toolCalls(A) });
      const before = await snapshotDatabase(db);
      const answer = await post(app, "/v1/runs/wf-1/complete", {
        status: "failed",
        error_message: "too late",
        tool_calls: toolCalls(B),
      });
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({
        code: expect.any(String),
        message: expect.stringContaining("wf-1"),
      });
      await expectUnchanged(db, before);
    });

    it("answers a repeated completion with the same result and changes nothing", async () => {
      const { app, db } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(A, C) });
      const completion = {
        status: "completed",
        total_tokens: 1200,
        actual_cost_total: 0.42,
        tool_calls: toolCalls(A, B),
      };
      const first = await post(app, "/v1/runs/wf-1/complete", completion);
      const before = await snapshotDatabase(db);
      const repeat = await post(app, "/v1/runs/wf-1/complete", completion);
      expect(repeat.status).toBe(200);
      // `recorded` says whether this delivery was the one that counted; everything else is the same.
      expect({ ...repeat.body, recorded: undefined }).toEqual({ ...first.body, recorded: undefined });
      expect(repeat.body.recorded).toBe(false);
      await expectUnchanged(db, before);
      const pattern = await db
        .selectFrom("operation_patterns")
        .select(["occurrence_count", "validated_count"])
        .where("pattern_signature", "=", A)
        .executeTakeFirstOrThrow();
      expect(pattern).toEqual({ occurrence_count: 1, validated_count: 1 });
    });

    it("records a failed run's occurrences and validates none of its predictions", async () => {
      const { app, db } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(A) });
      const answer = await post(app, "/v1/runs/wf-1/complete", {
        status: "failed",
        error_message: "pytest failed",
        tool_calls: toolCalls(A),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: "failed", validation: null, actual: [A] });
      const prediction = await db
        .selectFrom("pattern_predictions")
        .select(["was_correct", "validated_at"])
        .executeTakeFirstOrThrow();
      expect(prediction).toEqual({ was_correct: null, validated_at: null });
      const pattern = await db
        .selectFrom("operation_patterns")
        .select(["occurrence_count", "prediction_accuracy"])
        .where("pattern_signature", "=", A)
        .executeTakeFirstOrThrow();
      expect(pattern).toEqual({ occurrence_count: 1, prediction_accuracy: null });
    });

    it("skips validation of a run without predictions, writing no prediction", async () => {
      const { app, db } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: [] });
      const answer = await post(app, "/v1/runs/wf-1/complete", {
        status: "completed",
        tool_calls: toolCalls(B),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ validation: null, actual: [B] });
      expect(await db.selectFrom("pattern_predictions").selectAll().execute()).toEqual([]);
    });

    it("stores the final figures and tool calls of the run", async () => {
      const { app, db } = await api();
      await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: [] });
      await post(app, "/v1/runs/wf-1/complete", {
        status: "completed",
        end_time: "2026-01-02T03:04:05Z",
        duration_seconds: 95.5,
        input_tokens: 1000,
        output_tokens: 200,
        total_tokens: 1200,
        actual_cost_total: 0.05,
        model_used: "claude-sonnet-4-5",
        tool_calls: toolCalls(A, B),
      });
      const run = await db.selectFrom("workflow_history").selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({
        status: "completed",
        duration_seconds: 95.5,
        input_tokens: 1000,
        output_tokens: 200,
        total_tokens: 1200,
        actual_cost_total: 0.05,
        model_used: "claude-sonnet-4-5",
      });
      expect(run.end_time).toMatch(/^2026-01-02T03:04:05(\.000)?Z$/);
      const calls = await db.selectFrom("workflow_tool_calls").select(["command"]).orderBy("seq").execute();
      expect(calls.map((call) => call.command)).toEqual(
        toolCalls(A, B).map((call) => call.tool_input.command),
      );
    });

    it("completes a run whose id needs URL encoding", async () => {
      const { app } = await api();
      const id = "team/a run#1?x=1";
      expect((await post(app, "/v1/runs", { workflow_id: id, predictions: predictions(A) })).status).toBe(
        201,
      );
      const answer = await post(app, `/v1/runs/${encodeURIComponent(id)}/complete`, {
        status: "completed",
        tool_calls: toolCalls(A),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ workflow_id: id, validation: { correct: 1 } });
    });
  });
}
