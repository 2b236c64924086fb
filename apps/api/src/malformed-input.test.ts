import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  type Answer,
  ENGINES,
  JSON_WRITE,
  post,
  TOKEN,
  TRANSPORTS,
  useApi,
} from "../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../test/support/db-snapshot.js";
import {
  type MalformedCase,
  malformedCorpus,
  RUNS,
  SMALL_BODY_LIMIT,
  smallLimitCorpus,
} from "../test/support/malformed-corpus.js";
import { A, predictions, toolCalls } from "../test/support/workload.js";

/** The state every case meets: one running run and one completed run. */
async function seed(app: Hono): Promise<void> {
  const answers = [
    await post(app, RUNS, { workflow_id: "wf-open", nl_input: "run pytest", predictions: predictions(A) }),
    await post(app, RUNS, { workflow_id: "wf-done", predictions: predictions(A) }),
    await post(app, "/v1/runs/wf-done/complete", { status: "completed", tool_calls: toolCalls(A) }),
  ];
  expect(answers.map((answer) => answer.status)).toEqual([201, 201, 200]);
}

/** A 4xx answer is exactly `{"error": {"code", "message", "issues"?}}`, and names the problem when asked. */
function expectJsonError(answer: Answer, names: RegExp | undefined): void {
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(Object.keys(answer.body ?? {})).toEqual(["error"]);
  const { code, message, issues, ...rest } = answer.body.error;
  expect(rest).toEqual({});
  expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(message).toEqual(expect.any(String));
  expect(message.length).toBeGreaterThan(0);
  if (issues !== undefined) {
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues)
      expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
  if (names !== undefined) expect(message).toMatch(names);
}

async function expectRefusedAndNothingWritten(
  useCase: MalformedCase,
  app: Hono,
  db: Parameters<typeof snapshotDatabase>[0],
) {
  const before = await snapshotDatabase(db);
  const answer = await post(app, useCase.path ?? RUNS, useCase.body, useCase.headers ?? JSON_WRITE);
  const allowed = typeof useCase.status === "number" ? [useCase.status] : useCase.status;
  expect(allowed, `status ${answer.status}: ${answer.text.slice(0, 300)}`).toContain(answer.status);
  if (answer.status >= 400) expectJsonError(answer, useCase.names);
  // A hook that is not usable is answered 2xx and ignored: §7's hooks are fail-open.
  else if (answer.status === 200) expect([answer.body, answer.hook]).toEqual([{}, "ignored"]);
  await expectUnchanged(db, before);
}

for (const engine of ENGINES) {
  // Over a real Node server too (there the body is read from Node's request, not a web stream); once is
  // enough, as reading a body does not depend on the engine.
  const transports = engine === "sqlite" ? TRANSPORTS : TRANSPORTS.slice(0, 1);
  for (const transport of transports)
    describe(`malformed input is refused and writes nothing (${engine}, ${transport})`, () => {
      const api = useApi(engine, { transport });
      it.each(malformedCorpus(TOKEN).map((useCase) => [useCase.name, useCase] as const))(
        "%s",
        async (_, useCase) => {
          const { app, db } = await api();
          await seed(app);
          await expectRefusedAndNothingWritten(useCase, app, db);
        },
      );
    });

  for (const transport of transports)
    describe(`a configured body limit of ${SMALL_BODY_LIMIT} bytes (${engine}, ${transport})`, () => {
      const api = useApi(engine, { bodyLimit: SMALL_BODY_LIMIT, transport });
      it.each(smallLimitCorpus().map((useCase) => [useCase.name, useCase] as const))(
        "%s",
        async (_, useCase) => {
          const { app, db } = await api();
          await seed(app);
          await expectRefusedAndNothingWritten(useCase, app, db);
        },
      );

      it("accepts a body just under the limit", async () => {
        const { app } = await api();
        const body = JSON.stringify({ workflow_id: "wf-new", nl_input: "x".repeat(SMALL_BODY_LIMIT - 100) });
        expect((await post(app, RUNS, body)).status).toBe(201);
      });
    });

  describe(`hostile but valid input is stored literally (${engine})`, () => {
    const api = useApi(engine);

    it("stores strings at their field limits in full", async () => {
      const { app, db } = await api();
      const id = "w".repeat(200);
      const start = await post(app, RUNS, { workflow_id: id, nl_input: "n".repeat(200_000) });
      expect(start.status).toBe(201);
      const end = await post(app, `/v1/runs/${id}/complete`, {
        status: "failed",
        error_message: "e".repeat(100_000),
      });
      expect(end.status).toBe(200);
      const run = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "nl_input", "error_message"])
        .executeTakeFirstOrThrow();
      expect(run.workflow_id).toBe(id);
      expect(run.nl_input).toBe("n".repeat(200_000));
      expect(run.error_message).toBe("e".repeat(100_000));
    });

    it("stores SQL in ids and text as text, never running it", async () => {
      const { app, db } = await api();
      const id = "wf'); DROP TABLE workflow_history; --";
      const request = "'; DELETE FROM operation_patterns; SELECT '";
      const error = '" OR 1=1; UPDATE pattern_predictions SET was_correct = 1; --';
      const command = "git diff --stat; echo '); DROP TABLE pattern_predictions; --";
      expect(
        (await post(app, RUNS, { workflow_id: id, nl_input: request, predictions: predictions(A) })).status,
      ).toBe(201);
      const end = await post(app, `/v1/runs/${encodeURIComponent(id)}/complete`, {
        status: "completed",
        error_message: error,
        tool_calls: [{ tool_name: "Bash", tool_input: { command }, success: true }],
      });
      expect(end.status).toBe(200);
      const session = "s'; DROP TABLE claude_code_sessions; --";
      const hook = await post(app, "/v1/hooks/claude-code", {
        session_id: session,
        hook_event_name: "UserPromptSubmit",
        prompt: "'); DROP TABLE hook_deliveries; --",
      });
      expect([hook.status, hook.hook]).toEqual([200, "kept"]);

      // Every table still exists (the snapshot reads them all) and holds the literal strings.
      const snapshot = await snapshotDatabase(db);
      expect(snapshot.workflow_history?.count).toBe(2);
      const run = await db
        .selectFrom("workflow_history")
        .select(["nl_input", "error_message", "status"])
        .where("workflow_id", "=", id)
        .executeTakeFirstOrThrow();
      expect(run).toEqual({ nl_input: request, error_message: error, status: "completed" });
      const call = await db.selectFrom("workflow_tool_calls").select("command").executeTakeFirstOrThrow();
      expect(call.command).toBe(command);
      const prediction = await db
        .selectFrom("pattern_predictions")
        .select("was_correct")
        .executeTakeFirstOrThrow();
      expect(prediction.was_correct).toBe(0);
      const sessions = await db.selectFrom("claude_code_sessions").select("session_id").execute();
      expect(sessions).toEqual([{ session_id: session }]);
      const prompt = await db
        .selectFrom("workflow_history")
        .select("nl_input")
        .where("workflow_id", "!=", id)
        .executeTakeFirstOrThrow();
      expect(prompt.nl_input).toBe("'); DROP TABLE hook_deliveries; --");
    });
  });
}
