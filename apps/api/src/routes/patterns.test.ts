import { patternDetails } from "@patternloop/db";
import { describe, expect, it } from "vitest";
import { ENGINES, get, post, useApi } from "../../test/support/api-harness.js";
import { A, B, C, SEEDED, seedHistory } from "../../test/support/workload.js";

type Row = Record<string, unknown> & { pattern_signature: string };
const signatures = (rows: Row[]) => rows.map((row) => row.pattern_signature);

for (const engine of ENGINES) {
  describe(`GET /v1/patterns (${engine})`, () => {
    const api = useApi(engine);
    const seeded = async () => {
      const { app } = await api();
      await seedHistory((path, body) => post(app, path, body));
      return api();
    };

    it("lists patterns by occurrences by default, without a token", async () => {
      const { app } = await seeded();
      const answer = await get(app, "/v1/patterns");
      expect(answer.status).toBe(200);
      expect(answer.body.sort).toBe("top");
      expect(signatures(answer.body.patterns)).toEqual([A, B, C]);
      expect(answer.body.patterns.map((row: Row) => row.occurrence_count)).toEqual([
        SEEDED.occurrences[A],
        SEEDED.occurrences[B],
        SEEDED.occurrences[C],
      ]);
    });

    it.each([
      { sort: "top", expected: [A, B] },
      { sort: "recent", expected: [C, B] },
    ])("sort=$sort&limit=2 gives $expected", async ({ sort, expected }) => {
      const { app } = await seeded();
      const answer = await get(app, `/v1/patterns?sort=${sort}&limit=2`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ sort });
      expect(signatures(answer.body.patterns)).toEqual(expected);
    });

    it("sort=high-value orders by the savings a script could reach and gives the saving of one use", async () => {
      const { app } = await seeded();
      const answer = await get(app, "/v1/patterns?sort=high-value&limit=10");
      expect(answer.status).toBe(200);
      const rows = answer.body.patterns as (Row & {
        potential_monthly_savings: number;
        scriptable_monthly_savings: number;
        scriptability: number;
        savings_per_use: number;
      })[];
      expect(signatures(rows).sort()).toEqual([A, B, C].sort());
      const reachable = rows.map((row) => row.scriptable_monthly_savings);
      expect(reachable).toEqual([...reachable].sort((x, y) => y - x));
      for (const row of rows)
        expect(row.scriptable_monthly_savings).toBeCloseTo(
          row.potential_monthly_savings * row.scriptability,
          12,
        );
      const savings = rows.map((row) => row.potential_monthly_savings);
      expect(savings[0]).toBeGreaterThan(0);
      for (const row of rows) expect(row.savings_per_use).toBeGreaterThan(0);
    });

    it("sort=recent orders by first seen (workflow time), newest first", async () => {
      const { app } = await seeded();
      const rows = (await get(app, "/v1/patterns?sort=recent")).body.patterns as Row[];
      expect(rows[0]).toMatchObject({
        pattern_signature: C,
        first_seen: expect.stringMatching(/^2026-01-07/),
      });
    });

    it.each(["sort=bogus", "limit=0", "limit=-3", "limit=2.5", "limit=ten", "limit=100000"])(
      "refuses ?%s with a 400 naming the parameter",
      async (query) => {
        const { app } = await api();
        const answer = await get(app, `/v1/patterns?${query}`);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        expect(answer.body.error.issues?.[0]?.path).toBe(query.split("=")[0]);
      },
    );

    it("gives one pattern's details by signature and by id, the same", async () => {
      const { app } = await seeded();
      const bySignature = await get(app, `/v1/patterns/${A}`);
      expect(bySignature.status).toBe(200);
      expect(bySignature.body.pattern).toMatchObject({ pattern_signature: A, occurrence_count: 6 });
      expect(bySignature.body.pattern.prediction_accuracy).toBeCloseTo(SEEDED.accuracy[A], 10);
      expect(bySignature.body.examples).toHaveLength(5);
      expect(bySignature.body.accuracy_history.length).toBeGreaterThan(0);
      const byId = await get(app, `/v1/patterns/${bySignature.body.pattern.id}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(bySignature.body);
    });

    it("gives the commands of a pattern, as `analyze details` does, and its scriptability in the lists", async () => {
      const { app, db } = await seeded();
      const answer = await get(app, `/v1/patterns/${A}`);
      expect(answer.body.commands).toEqual([
        {
          command: "uv run pytest -q",
          count: 6,
          calls: 6,
          free_text: false,
          directories: [{ name: "app/server", count: 6 }],
          projects: [{ name: "(unknown)", count: 6 }],
          example: "cd app/server && uv run pytest -q",
        },
      ]);
      const stored = await patternDetails(db, A);
      expect(answer.body.commands).toEqual(stored?.commands);
      expect(answer.body.scriptability).toEqual(stored?.scriptability);
      expect(answer.body.run_together).toEqual([{ pattern_signature: B, same_command: 0, same_run: 3 }]);
      const top = (await get(app, "/v1/patterns")).body.patterns as Row[];
      expect(top.map((row) => [row.pattern_signature, row.scriptability, row.top_command])).toEqual([
        [A, 1, "uv run pytest -q"],
        [B, 1, "git diff --stat"],
        [C, 1, "npx prettier --write ."],
      ]);
    });

    it.each(["test:nothing:here", "99999", encodeURIComponent("'; DROP TABLE operation_patterns; --")])(
      "answers an unknown pattern %s with a JSON 404",
      async (pattern) => {
        const { app } = await seeded();
        const answer = await get(app, `/v1/patterns/${pattern}`);
        expect(answer.status).toBe(404);
        expect(answer.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        expect((await get(app, "/v1/patterns")).body.patterns).toHaveLength(3);
      },
    );

    it("answers a NUL in the pattern of the path with a 400 naming it, on every engine alike", async () => {
      const { app } = await seeded();
      const answer = await get(app, "/v1/patterns/test%00x");
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: "invalid_path",
        message: "pattern: contains a NUL character (\\u0000)",
      });
    });
  });

  describe(`GET /v1/patterns/reliable (${engine})`, () => {
    const api = useApi(engine);

    it.each([
      { query: "", expected: [A] },
      { query: "?min_accuracy=0.9", expected: [] },
      { query: "?min_accuracy=0.1&min_occurrences=1", expected: [A, C] },
      { query: "?min_accuracy=0.1&min_occurrences=1&limit=1", expected: [A] },
      { query: "?min_accuracy=0&min_occurrences=7", expected: [] },
    ])(
      "GET /v1/patterns/reliable$query gives $expected, most accurate first",
      async ({ query, expected }) => {
        const { app } = await api();
        await seedHistory((path, body) => post(app, path, body));
        const answer = await get(app, `/v1/patterns/reliable${query}`);
        expect(answer.status).toBe(200);
        expect(signatures(answer.body.patterns)).toEqual(expected);
      },
    );

    it.each(["min_accuracy=2", "min_accuracy=x", "min_occurrences=-1", "limit=0"])(
      "refuses ?%s with a 400",
      async (query) => {
        const { app } = await api();
        const answer = await get(app, `/v1/patterns/reliable?${query}`);
        expect(answer.status).toBe(400);
        expect(answer.body.error.issues?.[0]?.path).toBe(query.split("=")[0]);
      },
    );
  });
}
