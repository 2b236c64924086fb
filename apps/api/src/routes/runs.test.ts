import { describe, expect, it } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../../test/support/db-snapshot.js";
import { A, B, C, predictions } from "../../test/support/workload.js";

for (const engine of ENGINES) {
  describe(`POST /v1/runs (${engine})`, () => {
    const api = useApi(engine);

    it("registers a run as running and answers 201 with the predictions made from its request", async () => {
      const { app, db } = await api();
      const answer = await post(app, "/v1/runs", {
        workflow_id: "wf-1",
        nl_input: "run the backend tests with pytest",
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ workflow_id: "wf-1", created: true });
      const signatures = answer.body.predictions.map((p: { signature: string }) => p.signature);
      expect(signatures).toContain(A);
      for (const prediction of answer.body.predictions) {
        expect(prediction.confidence).toBeGreaterThanOrEqual(0);
        expect(prediction.confidence).toBeLessThanOrEqual(100);
        expect(prediction.reason).toEqual(expect.any(String));
        expect(prediction.reason).not.toBe("");
      }
      const run = await db.selectFrom("workflow_history").selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({ workflow_id: "wf-1", status: "running" });
      const stored = await db.selectFrom("pattern_predictions").select("pattern_signature").execute();
      expect(stored.map((row) => row.pattern_signature).sort()).toEqual([...signatures].sort());
    });

    it("stores explicit predictions as given, instead of the predictor's", async () => {
      const { app, db } = await api();
      const answer = await post(app, "/v1/runs", {
        workflow_id: "wf-1",
        nl_input: "run the backend tests with pytest",
        predictions: [
          { signature: B, confidence: 80, reason: "the caller knows" },
          { signature: C, confidence: 35.5 },
        ],
      });
      expect(answer.status).toBe(201);
      expect(answer.body.predictions).toEqual([
        { signature: B, confidence: 80, reason: "the caller knows" },
        { signature: C, confidence: 35.5, reason: expect.any(String) },
      ]);
      const stored = await db
        .selectFrom("pattern_predictions")
        .select([
          "workflow_id",
          "pattern_signature",
          "predicted_confidence",
          "prediction_reason",
          "was_correct",
        ])
        .orderBy("pattern_signature")
        .execute();
      expect(stored).toEqual([
        {
          workflow_id: "wf-1",
          pattern_signature: C,
          predicted_confidence: 35.5,
          prediction_reason: expect.any(String),
          was_correct: null,
        },
        {
          workflow_id: "wf-1",
          pattern_signature: B,
          predicted_confidence: 80,
          prediction_reason: "the caller knows",
          was_correct: null,
        },
      ]);
    });

    it("answers a repeated start 200 with the first predictions, and changes nothing", async () => {
      const { app, db } = await api();
      const first = await post(app, "/v1/runs", { workflow_id: "wf-1", predictions: predictions(A, B) });
      const before = await snapshotDatabase(db);
      for (const again of [
        { workflow_id: "wf-1", predictions: predictions(A, B) },
        { workflow_id: "wf-1", nl_input: "something else", predictions: predictions(C) },
      ]) {
        const repeat = await post(app, "/v1/runs", again);
        expect(repeat.status).toBe(200);
        expect(repeat.body).toEqual({ ...first.body, created: false });
      }
      await expectUnchanged(db, before);
    });
  });
}
