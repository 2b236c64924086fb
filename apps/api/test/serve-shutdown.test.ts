import { createDatabase } from "@patternloop/db";
import { ENGINES, freshUrl, lockRun } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import {
  type Exit,
  getJson,
  postJson,
  refusedServe,
  runCli,
  type ServeProcess,
  startServe,
} from "./support/serve-process.js";
import { type SplitRequest, startSplitRequest } from "./support/split-request.js";
import { A, B, C, predictions, toolCalls } from "./support/workload.js";

const TOKEN = "shutdown-token-6d0b";
/** How long any wait here lasts before the test fails: far above every grace period used below. */
const LIMIT_MS = 60_000;
/** What a server prints when something went wrong: an error logged, a stack trace. */
const TROUBLE = /fail|unhandled|^\s+at /im;

/** Starts a run, then sends the headers and half the body of its completion; `finish()` sends the rest. */
async function halfSentCompletion(
  server: ServeProcess,
  workflowId: string,
  options: { keepAlive?: boolean } = {},
): Promise<SplitRequest> {
  const started = await postJson(
    `${server.url}/v1/runs`,
    { workflow_id: workflowId, predictions: predictions(A, C) },
    TOKEN,
  );
  expect(started.status).toBe(201);
  return startSplitRequest(
    `${server.url}/v1/runs/${workflowId}/complete`,
    JSON.stringify({ status: "completed", tool_calls: toolCalls(A, B) }),
    { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    options,
  );
}

/** Resolves once `check` holds, checking every 20 ms; fails after `LIMIT_MS`. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the server is handling `count` requests (it has read their headers). */
function untilInFlight(server: ServeProcess, count: number): Promise<void> {
  return until(
    async () => (await getJson(`${server.url}/healthz`)).body.requests_in_flight === count,
    `${count} requests in flight; stderr: ${server.stderr()}`,
  );
}

/** The exit of the server, or a failure naming what it printed if it has not exited within `LIMIT_MS`. */
function exitOf(server: ServeProcess): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve still running ${LIMIT_MS} ms later; stderr: ${server.stderr()}`)),
      LIMIT_MS,
    );
    server.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

/** Each run's status and how many tool calls it has, by workflow id. */
async function runsIn(url: string): Promise<Record<string, { status: string; calls: number }>> {
  const database = await createDatabase(url);
  try {
    const runs = await database.db
      .selectFrom("workflow_history as h")
      .leftJoin("workflow_tool_calls as t", "t.workflow_id", "h.workflow_id")
      .select((eb) => ["h.workflow_id", "h.status", eb.fn.count<number>("t.workflow_id").as("calls")])
      .groupBy(["h.workflow_id", "h.status"])
      .execute();
    return Object.fromEntries(
      runs.map((run) => [run.workflow_id, { status: run.status, calls: Number(run.calls) }]),
    );
  } finally {
    await database.close();
  }
}

describe("patternloop serve, stopping with clients that hang", { timeout: 4 * LIMIT_MS }, () => {
  for (const engine of ENGINES) {
    it(`${engine}: a half-sent body is cut at the grace deadline, every whole completion is committed, exit 0`, async () => {
      const db = await freshUrl(engine);
      const server = await startServe({ db, token: TOKEN, args: ["--shutdown-grace", "5"] });
      const hanging = await halfSentCompletion(server, "wf-hanging");
      const sentBefore = await halfSentCompletion(server, "wf-before");
      const sentDuring = await halfSentCompletion(server, "wf-during");
      await untilInFlight(server, 3);

      // The rest of one body goes out just before the signal, of another just after it: both can finish.
      sentBefore.finish();
      server.child.kill("SIGTERM");
      await server.printed("SIGTERM");
      sentDuring.finish();
      for (const answer of [await sentBefore.response, await sentDuring.response]) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({ recorded: true, validation: { correct: 1 } });
      }
      // The client that never sends the rest of its body does not keep the server from exiting.
      expect(await exitOf(server)).toEqual({ code: 0, signal: null });
      await expect(hanging.response).rejects.toThrow();
      expect(server.stderr()).toMatch(/cut 1 connection\b/);
      // Cutting a request half-way through its body is no error of the server's: no stack trace.
      expect(server.stderr()).not.toMatch(TROUBLE);

      expect(await runsIn(db)).toEqual({
        "wf-hanging": { status: "running", calls: 0 },
        "wf-before": { status: "completed", calls: 2 },
        "wf-during": { status: "completed", calls: 2 },
      });
      const check = runCli(["check", "--db", db]);
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
      if (engine === "sqlite") expect(check.stdout).toContain("integrity: ok");
    });
  }

  it.skipIf(!ENGINES.includes("postgres"))(
    "postgres: a completion cut off while it waits for a lock is still committed before the pool ends",
    async () => {
      const db = await freshUrl("postgres");
      const server = await startServe({ db, token: TOKEN, args: ["--shutdown-grace", "0.5"] });
      const cutOff = await halfSentCompletion(server, "wf-1");
      await untilInFlight(server, 1);
      const lock = await lockRun(db, "wf-1");
      try {
        cutOff.finish();
        // The whole body is in, and its completion waits for the run's row.
        await until(async () => (await lock.waiters()) === 1, "the completion waiting for the lock");
        server.child.kill("SIGTERM");
        // Its connection is cut at the deadline, the answer lost; the work it started goes on.
        await expect(cutOff.response).rejects.toThrow();
      } finally {
        await lock.release();
      }
      expect(await exitOf(server)).toEqual({ code: 0, signal: null });
      expect(server.stderr()).toMatch(/cut 1 connection\b/);
      expect(server.stderr()).not.toMatch(TROUBLE);
      expect(await runsIn(db)).toEqual({ "wf-1": { status: "completed", calls: 2 } });
      expect(runCli(["check", "--db", db]).status).toBe(0);
    },
  );

  it("waits as long as --shutdown-grace says: a short grace has exited while a long one still serves", async () => {
    const short = await startServe({
      db: await freshUrl("sqlite"),
      token: TOKEN,
      args: ["--shutdown-grace", "0.5"],
    });
    // About 116 days: longer than the longest timer Node keeps (about 24.8 days), which it would cut to 1 ms.
    const long = await startServe({
      db: await freshUrl("sqlite"),
      token: TOKEN,
      args: ["--shutdown-grace", "1e7"],
    });
    const shortHanging = await halfSentCompletion(short, "wf-1");
    const longSlow = await halfSentCompletion(long, "wf-1");
    await untilInFlight(short, 1);
    await untilInFlight(long, 1);
    short.child.kill("SIGTERM");
    long.child.kill("SIGTERM");
    await long.printed("SIGTERM");

    expect(await exitOf(short)).toEqual({ code: 0, signal: null });
    expect(short.stderr()).toMatch(/cut 1 connection\b/);
    expect(short.stderr()).not.toMatch(TROUBLE);
    await expect(shortHanging.response).rejects.toThrow();
    // The long grace is not over: its slow client still gets its answer, and then the server exits at once.
    expect(long.child.exitCode).toBeNull();
    longSlow.finish();
    expect((await longSlow.response).status).toBe(200);
    expect(await exitOf(long)).toEqual({ code: 0, signal: null });
    expect(long.stderr()).not.toMatch(/cut \d+ connection/);
  });

  it("tells a keep-alive client in flight to close its connection, so that none is left to wait for", async () => {
    const server = await startServe({
      db: await freshUrl("sqlite"),
      token: TOKEN,
      args: ["--shutdown-grace", "300"],
    });
    const slow = await halfSentCompletion(server, "wf-1", { keepAlive: true });
    await untilInFlight(server, 1);
    server.child.kill("SIGTERM");
    await server.printed("SIGTERM");
    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe("close");
    expect(await exitOf(server)).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain("every request finished");
  });

  it.each([
    { second: "SIGTERM", code: 143 },
    { second: "SIGINT", code: 130 },
  ] as const)(
    "a second signal ($second) exits at once with $code, leaving a sound SQLite file",
    async ({ second, code }) => {
      const db = await freshUrl("sqlite");
      const server = await startServe({ db, token: TOKEN, args: ["--shutdown-grace", "300"] });
      const hanging = await halfSentCompletion(server, "wf-1");
      await untilInFlight(server, 1);
      server.child.kill("SIGTERM");
      await server.printed("SIGTERM");
      server.child.kill(second);
      expect(await exitOf(server)).toEqual({ code, signal: null });
      await expect(hanging.response).rejects.toThrow();
      const check = runCli(["check", "--db", db]);
      expect(check.stdout).toContain("integrity: ok");
      expect(check.status).toBe(0);
    },
  );

  it.each(["ten", "-1", "", "Infinity"])("refuses --shutdown-grace %j: exit 2, one line", async (grace) => {
    const exit = await refusedServe({
      db: await freshUrl("sqlite"),
      token: TOKEN,
      args: ["--shutdown-grace", grace],
    });
    expect(exit.code).toBe(2);
    expect(exit.stderr.split("\n").filter((line) => line !== "")).toEqual([
      expect.stringContaining("--shutdown-grace"),
    ]);
  });
});
