import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@patternloop/db";
import { freshUrl, PG_URL } from "@patternloop/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { HOOK_EVENTS } from "./support/hook-sessions.js";
import { getJson, postJson, runCli, type ServeProcess, startServe } from "./support/serve-process.js";
import { A, B, C, predictions, toolCalls } from "./support/workload.js";

const TOKEN = "concurrency-token-9a2e";
const CLIENTS = 40;
const directory = mkdtempSync(join(tmpdir(), "patternloop-api-concurrency-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/**
 * One client: starts its run on one server and completes it on another (or the same), delivering the
 * completion `copies` times at once. Every run predicts A and C and does A, B and a command of its own.
 */
async function client(i: number, startOn: ServeProcess, completeOn: readonly ServeProcess[]) {
  const id = `wf-${String(i).padStart(2, "0")}`;
  const started = await postJson(
    `${startOn.url}/v1/runs`,
    { workflow_id: id, nl_input: `change ${i}`, predictions: predictions(A, C) },
    TOKEN,
  );
  const completion = {
    status: "completed",
    total_tokens: 1000 + i,
    actual_cost_total: 0.01 * (i + 1),
    // The tool_use_id is only known sometimes (§2): the Read call comes without one.
    tool_calls: [...toolCalls(A, B), { tool_name: "Read", tool_input: { file_path: `src/file-${i}.ts` } }],
  };
  const completed = await Promise.all(
    completeOn.map((server) => postJson(`${server.url}/v1/runs/${id}/complete`, completion, TOKEN)),
  );
  return { started, completed };
}

/** What every run must add up to once all clients are done. */
async function expectExactCounts(server: ServeProcess) {
  const top = await getJson(`${server.url}/v1/patterns?sort=top&limit=10`);
  const counts = Object.fromEntries(
    top.body.patterns.map((p: { pattern_signature: string; occurrence_count: number }) => [
      p.pattern_signature,
      p.occurrence_count,
    ]),
  );
  expect(counts).toEqual({ [A]: CLIENTS, [B]: CLIENTS });
  const a = await getJson(`${server.url}/v1/patterns/${A}`);
  expect(a.body.pattern).toMatchObject({
    validated_count: CLIENTS,
    correct_count: CLIENTS,
    prediction_accuracy: 1,
  });
  const c = await getJson(`${server.url}/v1/patterns/${C}`);
  expect(c.body.pattern).toMatchObject({
    occurrence_count: 0,
    validated_count: CLIENTS,
    prediction_accuracy: 0,
  });
  const summary = await getJson(`${server.url}/v1/validation/summary`);
  expect(summary.body).toMatchObject({ total_predictions: 2 * CLIENTS, total_validations: 2 * CLIENTS });
}

/** Each run's three tool calls are stored once, however many times its completion was delivered. */
async function expectToolCallsOnce(db: string) {
  const database = await createDatabase(db);
  try {
    const calls = await database.db
      .selectFrom("workflow_tool_calls")
      .select(["workflow_id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("workflow_id")
      .execute();
    expect(calls.filter((row) => Number(row.n) !== 3)).toEqual([]);
    expect(calls).toHaveLength(CLIENTS);
  } finally {
    await database.close();
  }
}

function expectCheckPasses(db: string) {
  const check = runCli(["check", "--db", db]);
  expect(check.stdout).toBe(
    `${CLIENTS} runs, 3 patterns, ${2 * CLIENTS} occurrences, ${2 * CLIENTS} predictions\nintegrity: ok\n`,
  );
  expect(check.status).toBe(0);
}

describe("concurrent clients against patternloop serve", { timeout: 180_000 }, () => {
  it(`${CLIENTS} clients completing distinct runs on one SQLite-file server: exact counts, check passes`, async () => {
    const db = join(directory, "history.sqlite");
    const server = await startServe({ db, token: TOKEN });
    try {
      // Every fourth client delivers its completion twice at once: the same delivery twice is once.
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          client(i, server, i % 4 === 0 ? [server, server] : [server]),
        ),
      );
      for (const { started, completed } of results) {
        expect(started.status).toBe(201);
        for (const answer of completed) {
          expect(answer.status).toBe(200);
          expect(answer.body.validation).toMatchObject({
            correct: 1,
            false_positives: 1,
            false_negatives: 1,
          });
        }
        expect(completed.filter((answer) => answer.body.recorded).length).toBe(1);
      }
      await expectExactCounts(server);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
    expectCheckPasses(db);
    await expectToolCallsOnce(db);
  });

  it.skipIf(PG_URL === undefined)(
    "two server processes on one PostgreSQL schema, with interleaved requests: exact counts, check passes",
    async () => {
      const db = await freshUrl("postgres");
      // The first server creates and migrates the schema; the second joins it.
      const first = await startServe({ db, token: TOKEN });
      const second = await startServe({ db, token: TOKEN });
      const servers = [first, second];
      try {
        const results = await Promise.all(
          Array.from({ length: CLIENTS }, (_, i) => {
            const startOn = servers[i % 2] as ServeProcess;
            const other = servers[(i + 1) % 2] as ServeProcess;
            // Every third client's completion reaches both servers at once.
            return client(i, startOn, i % 3 === 0 ? [other, startOn] : [other]);
          }),
        );
        for (const { started, completed } of results) {
          expect(started.status).toBe(201);
          for (const answer of completed)
            expect(answer.status, `servers' stderr: ${first.stderr()} ${second.stderr()}`).toBe(200);
        }
        await expectExactCounts(first);
        await expectExactCounts(second);
        expectCheckPasses(db);
        await expectToolCallsOnce(db);
        // `recorded` is true for the one delivery that counted, false for its copy.
        for (const { completed } of results)
          expect(completed.filter((answer) => answer.body.recorded).length).toBe(1);
      } finally {
        expect(await first.stop()).toEqual({ code: 0, signal: null });
        expect(await second.stop()).toEqual({ code: 0, signal: null });
      }
    },
  );

  it.skipIf(PG_URL === undefined)(
    "two server processes on one PostgreSQL schema take the real Claude Code sessions' hooks, alternating",
    async () => {
      const db = await freshUrl("postgres");
      const first = await startServe({ db, token: TOKEN });
      const second = await startServe({ db, token: TOKEN });
      const servers = [first, second];
      try {
        const sessions = [...new Set(HOOK_EVENTS.map((event) => event.session_id))];
        // Sessions run side by side; within one, Claude Code sends its events in order, here to either server.
        await Promise.all(
          sessions.map(async (session) => {
            const events = HOOK_EVENTS.filter((event) => event.session_id === session);
            for (const [n, event] of events.entries()) {
              const answer = await postJson(
                `${(servers[n % 2] as ServeProcess).url}/v1/hooks/claude-code`,
                event,
                TOKEN,
              );
              expect(answer.status).toBe(200);
            }
          }),
        );
        const health = await getJson(`${second.url}/healthz`);
        expect(health.body.status).toBe("ok");
      } finally {
        expect(await first.stop()).toEqual({ code: 0, signal: null });
        expect(await second.stop()).toEqual({ code: 0, signal: null });
      }
      const prompts = HOOK_EVENTS.filter((event) => event.hook_event_name === "UserPromptSubmit");
      const toolUses = HOOK_EVENTS.filter((event) => event.hook_event_name === "PostToolUse").length;
      const database = await createDatabase(db);
      try {
        const runs = await database.db
          .selectFrom("workflow_history")
          .select(["nl_input", "status"])
          .execute();
        expect(runs.map((run) => run.nl_input).sort()).toEqual(prompts.map((event) => event.prompt).sort());
        expect(runs.every((run) => run.status === "completed")).toBe(true);
        const calls = await database.db
          .selectFrom("workflow_tool_calls")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect(Number(calls.n)).toBe(toolUses);
      } finally {
        await database.close();
      }
      const check = runCli(["check", "--db", db, "--json"]);
      expect(JSON.parse(check.stdout)).toMatchObject({ workflows: prompts.length, violations: [] });
      expect(check.status).toBe(0);
    },
  );
});
