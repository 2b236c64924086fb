import { describe, expect, it } from "vitest";
import { ENGINES, get, post, useApi } from "../../test/support/api-harness.js";
import { SEEDED, seedHistory } from "../../test/support/workload.js";

for (const engine of ENGINES) {
  describe(`GET /v1/validation (${engine})`, () => {
    const api = useApi(engine);

    it("summary: zeros and a null accuracy on an empty history", async () => {
      const { app } = await api();
      const answer = await get(app, "/v1/validation/summary");
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        total_patterns: 0,
        patterns_with_predictions: 0,
        total_predictions: 0,
        total_validations: 0,
        overall_accuracy: null,
        patterns_above_70: 0,
        patterns_above_90: 0,
        live: { predictions: 0, validations: 0, accuracy: null },
        replayed: { predictions: 0, validations: 0, accuracy: null },
      });
    });

    it("summary: the §6 figures of a validated history, without a token", async () => {
      const { app } = await api();
      await seedHistory((path, body) => post(app, path, body));
      const answer = await get(app, "/v1/validation/summary");
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        total_patterns: 3,
        patterns_with_predictions: 2,
        total_predictions: SEEDED.validations,
        total_validations: SEEDED.validations,
        patterns_above_70: 1,
        patterns_above_90: 0,
      });
      expect(answer.body.overall_accuracy).toBeCloseTo(SEEDED.correct / SEEDED.validations, 10);
    });

    it("trend: validations, correct and accuracy per day, on the day they were validated", async () => {
      const { app, db } = await api();
      await seedHistory((path, body) => post(app, path, body));
      const answer = await get(app, "/v1/validation/trend?days=7");
      expect(answer.status).toBe(200);
      expect(answer.body.days).toBe(7);
      // The runs were validated as they were reported: group the stored validation times by UTC day.
      const stamps = await db
        .selectFrom("pattern_predictions")
        .select(["validated_at", "was_correct"])
        .execute();
      const expected = new Map<string, { validations: number; correct: number }>();
      for (const { validated_at, was_correct } of stamps) {
        const day = String(validated_at).slice(0, 10);
        const entry = expected.get(day) ?? { validations: 0, correct: 0 };
        expected.set(day, {
          validations: entry.validations + 1,
          correct: entry.correct + Number(was_correct),
        });
      }
      expect(answer.body.trend).toEqual(
        [...expected.entries()]
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([day, { validations, correct }]) => ({
            day,
            validations,
            correct,
            accuracy: correct / validations,
          })),
      );
    });

    it("trend: defaults to 30 days and is empty without validations", async () => {
      const { app } = await api();
      expect((await get(app, "/v1/validation/trend")).body).toEqual({ days: 30, trend: [] });
    });

    it.each(["days=0", "days=-1", "days=1.5", "days=abc", "days=100000"])(
      "trend: refuses ?%s with a 400 naming days",
      async (query) => {
        const { app } = await api();
        const answer = await get(app, `/v1/validation/trend?${query}`);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({
          code: expect.any(String),
          message: expect.stringContaining("days"),
        });
      },
    );
  });
}
