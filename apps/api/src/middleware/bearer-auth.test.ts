import { describe, expect, it } from "vitest";
import { ENGINES, get, post, TOKEN, useApi } from "../../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../../test/support/db-snapshot.js";
import { A, predictions, toolCalls } from "../../test/support/workload.js";

const JSON_TYPE = { "content-type": "application/json" };
const HOOK = {
  session_id: "5e55-10n",
  hook_event_name: "UserPromptSubmit",
  prompt: "run the backend tests with pytest",
};

/** The three writes, each with a body that would be accepted with the right token. */
const WRITES = [
  { path: "/v1/runs", body: { workflow_id: "wf-new", predictions: predictions(A) } },
  { path: "/v1/runs/wf-open/complete", body: { status: "completed", tool_calls: toolCalls(A) } },
  { path: "/v1/hooks/claude-code", body: HOOK },
];

const CREDENTIALS: { name: string; headers: Record<string, string> }[] = [
  { name: "no Authorization header", headers: {} },
  { name: "an empty Authorization header", headers: { authorization: "" } },
  { name: "Bearer without a token", headers: { authorization: "Bearer " } },
  { name: "a wrong token", headers: { authorization: "Bearer not-the-token" } },
  { name: "the token with a character more", headers: { authorization: `Bearer ${TOKEN}x` } },
  {
    name: "the token missing its last character",
    headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
  },
  { name: "the token as Basic credentials", headers: { authorization: `Basic ${TOKEN}` } },
  { name: "the token without a scheme", headers: { authorization: TOKEN } },
  { name: "the token in another header", headers: { "x-api-key": TOKEN } },
];

for (const engine of ENGINES) {
  describe(`bearer token on writes (${engine})`, () => {
    const api = useApi(engine);
    const withOpenRun = async () => {
      const { app } = await api();
      const started = await post(app, "/v1/runs", { workflow_id: "wf-open", predictions: predictions(A) });
      expect(started.status).toBe(201);
      return api();
    };

    for (const write of WRITES) {
      it.each(CREDENTIALS)(
        `POST ${write.path} with $name: 401 JSON error, nothing written`,
        async ({ headers }) => {
          const { app, db } = await withOpenRun();
          const before = await snapshotDatabase(db);
          const answer = await post(app, write.path, write.body, { ...JSON_TYPE, ...headers });
          expect(answer.status).toBe(401);
          expect(answer.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
          expect(answer.text).not.toContain(TOKEN);
          await expectUnchanged(db, before);
        },
      );

      it(`POST ${write.path} with the token is accepted`, async () => {
        const { app } = await withOpenRun();
        const answer = await post(app, write.path, write.body, {
          ...JSON_TYPE,
          authorization: `Bearer ${TOKEN}`,
        });
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(300);
      });
    }

    it.each([
      "/healthz",
      "/openapi.json",
      "/v1/patterns",
      "/v1/patterns/reliable",
      "/v1/validation/summary",
      "/v1/validation/trend",
    ])("GET %s is open", async (path) => {
      const { app } = await api();
      expect((await get(app, path)).status).toBe(200);
    });
  });

  describe(`a local-only app, without a token (${engine})`, () => {
    const api = useApi(engine, { token: null });

    it("accepts writes without credentials", async () => {
      const { app } = await api();
      const answer = await post(app, "/v1/runs", { workflow_id: "wf-1" }, JSON_TYPE);
      expect(answer.status).toBe(201);
    });
  });
}
