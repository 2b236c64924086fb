import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@patternloop/db";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getJson, postJson, refusedServe, runCli, startServe } from "./support/serve-process.js";
import { startSplitRequest } from "./support/split-request.js";
import { A, B, C, predictions, toolCalls } from "./support/workload.js";

const TOKEN = "serve-test-token-41c7";
const directory = mkdtempSync(join(tmpdir(), "patternloop-api-serve-"));
let files = 0;
const freshFile = () => join(directory, `history-${++files}.sqlite`);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** One line on stderr, the way the CLI reports a refusal. */
const oneLine = (stderr: string) => stderr.split("\n").filter((line) => line !== "");

describe("patternloop serve, as a process", { timeout: 120_000 }, () => {
  it("serves the start → complete flow over HTTP, then exits 0 on SIGTERM with a consistent database", async () => {
    const db = freshFile();
    const server = await startServe({ db, token: TOKEN });
    const started = await postJson(
      `${server.url}/v1/runs`,
      { workflow_id: "wf-1", nl_input: "run the backend tests with pytest" },
      TOKEN,
    );
    expect(started.status).toBe(201);
    expect(started.body.predictions.map((p: { signature: string }) => p.signature)).toContain(A);
    const completed = await postJson(
      `${server.url}/v1/runs/wf-1/complete`,
      { status: "completed", tool_calls: toolCalls(A, B) },
      TOKEN,
    );
    expect(completed.status).toBe(200);
    expect(completed.body.validation).toMatchObject({ correct: 1, false_negatives: 1 });
    const top = await getJson(`${server.url}/v1/patterns?sort=top`);
    expect(top.body.patterns.map((p: { pattern_signature: string }) => p.pattern_signature).sort()).toEqual(
      [A, B].sort(),
    );
    expect((await getJson(`${server.url}/healthz`)).body).toEqual({
      status: "ok",
      engine: "sqlite",
      patterns: 2,
      requests_in_flight: 0,
      // The runs just stored.
      last_write_at: expect.any(String),
    });
    expect((await postJson(`${server.url}/v1/runs`, { workflow_id: "wf-2" }, "wrong")).status).toBe(401);
    // The server checkpoints in the background: the run's pages reach the database file itself while it
    // runs, where SQLite alone would leave them in the -wal file until 1,000 pages of log.
    await vi.waitFor(
      () => expect(readFileSync(db).includes("run the backend tests with pytest")).toBe(true),
      { timeout: 30_000, interval: 50 },
    );
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    const check = runCli(["check", "--db", db]);
    expect(check.stdout).toContain("integrity: ok");
    expect(check.status).toBe(0);
  });

  it.each([
    { name: "unset", token: undefined },
    { name: "empty", token: "" },
    { name: "blank", token: "   " },
  ])(
    "refuses to start when PATTERNLOOP_TOKEN is $name: exit 2, one line, nothing created",
    async ({ token }) => {
      const db = freshFile();
      const exit = await refusedServe({ db, token });
      expect(exit.code).toBe(2);
      expect(oneLine(exit.stderr)).toHaveLength(1);
      expect(exit.stderr).toMatch(/token/i);
      expect(exit.stderr).toMatch(/PATTERNLOOP_TOKEN/);
      expect(existsSync(db)).toBe(false);
    },
  );

  it("starts without a token with --local-only on loopback, and takes writes without credentials", async () => {
    const server = await startServe({ db: freshFile(), args: ["--local-only"] });
    expect((await postJson(`${server.url}/v1/runs`, { workflow_id: "wf-1" }, undefined)).status).toBe(201);
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  // 192.0.2.1 (TEST-NET-1) is never a local address: nothing is ever bound off loopback here.
  it.each([
    { name: "without a token", token: undefined },
    { name: "even with a token", token: TOKEN },
  ])("refuses --local-only on a non-loopback host $name: exit 2, one line", async ({ token }) => {
    const exit = await refusedServe({
      db: freshFile(),
      token,
      args: ["--local-only", "--host", "192.0.2.1"],
    });
    expect(exit.code).toBe(2);
    expect(oneLine(exit.stderr)).toHaveLength(1);
    expect(exit.stderr).toMatch(/loopback|local/i);
  });

  it("on SIGTERM, finishes the requests in flight with 2xx, then exits 0", async () => {
    const db = freshFile();
    const server = await startServe({ db, token: TOKEN });
    const RUNS = 4;
    const CALLS = 3000;
    for (let i = 0; i < RUNS; i++) {
      const started = await postJson(
        `${server.url}/v1/runs`,
        { workflow_id: `wf-${i}`, predictions: predictions(A, C) },
        TOKEN,
      );
      expect(started.status).toBe(201);
    }
    // Completions with many tool calls, each stopped half-way through its body.
    const inFlight = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        startSplitRequest(
          `${server.url}/v1/runs/wf-${i}/complete`,
          JSON.stringify({
            status: "completed",
            tool_calls: Array.from({ length: CALLS }, (_, n) => ({
              ...toolCalls([A, B, C][n % 3] as string)[0],
              tool_use_id: `toolu_${i}_${n}`,
            })),
          }),
          { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        ),
      ),
    );
    // The server has taken all of them (read their headers) before it is told to stop: a connection whose
    // request it has not read yet is idle to it, and closed.
    await until(async () => (await getJson(`${server.url}/healthz`)).body.requests_in_flight === RUNS);
    server.child.kill("SIGTERM");
    await server.printed("SIGTERM");
    for (const request of inFlight) request.finish();
    const answers = await Promise.all(inFlight.map((request) => request.response));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({
        recorded: true,
        validation: { correct: 2, false_positives: 0 },
      });
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });

    const database = await createDatabase(db);
    try {
      const calls = await database.db
        .selectFrom("workflow_tool_calls")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(calls.n)).toBe(RUNS * CALLS);
      const statuses = await database.db.selectFrom("workflow_history").select("status").execute();
      expect(statuses).toEqual(Array.from({ length: RUNS }, () => ({ status: "completed" })));
    } finally {
      await database.close();
    }
    expect(runCli(["check", "--db", db]).status).toBe(0);
  });
});

/** Resolves once `check` holds, checking every 20 ms; fails after 30 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
