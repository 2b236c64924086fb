import { createDatabase, type PatternloopDatabase } from "@patternloop/db";
import { freshUrl, holdWriteLock, setBusyTimeout } from "@patternloop/db/testing";
import { createPredictor } from "@patternloop/validator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { get, post, TOKEN } from "../test/support/api-harness.js";
import { sessionEvents } from "../test/support/hook-sessions.js";
import { createApp } from "./app.js";

const HOOK = "/v1/hooks/claude-code";

let database: PatternloopDatabase | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await database?.close();
  database = undefined;
});

describe("a /v1 request on a database another process holds the write lock of", () => {
  it("is answered 503 with the code busy and its one line, logged on one line, and can be sent again", async () => {
    // Opened by the package the app imports, so that its errors are the classes the app recognises.
    const url = await freshUrl("sqlite");
    database = await createDatabase(url, { create: true });
    // Only whether the payload is kept matters here, not its application after the answer.
    const app = createApp({
      database,
      predictor: createPredictor(),
      token: TOKEN,
      log: () => {},
      hooks: { wake() {} },
    });
    for (const id of ["wf-1", "wf-2", "wf-3"])
      expect((await post(app, "/v1/runs", { workflow_id: id })).status).toBe(201);
    const [prompt] = sessionEvents("95c9e0c1");
    const complete = (id: string) =>
      post(app, `/v1/runs/${id}/complete`, { status: "completed", tool_calls: [] });
    await setBusyTimeout(database.db, 200);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});

    const lock = await holdWriteLock(url);
    let answers: Awaited<ReturnType<typeof post>>[];
    try {
      answers = [
        await post(app, "/v1/runs", { workflow_id: "wf-4" }),
        // Sent together, so that they are written as one batch.
        ...(await Promise.all(["wf-1", "wf-2", "wf-3"].map(complete))),
        await post(app, HOOK, prompt),
      ];
    } finally {
      await lock.release();
    }

    const busy = `database is busy: another process holds its write lock (sqlite:${url}, waited 0.2 s: database is locked); try again once it is done`;
    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual([
      ...[1, 2, 3, 4].map(() => ({ status: 503, body: { error: { code: "busy", message: busy } } })),
      {
        status: 503,
        body: { error: { code: "busy", message: `the hook payload was not stored: ${busy}` } },
      },
    ]);
    expect(logged.mock.calls).toEqual([
      [`[api] POST /v1/runs: busy: ${busy}`],
      [`[api] POST /v1/runs/wf-1/complete: busy: ${busy}`],
      [`[api] POST /v1/runs/wf-2/complete: busy: ${busy}`],
      [`[api] POST /v1/runs/wf-3/complete: busy: ${busy}`],
      [`[api] hook not stored: busy: ${busy}`],
    ]);

    // Nothing was half-written: the same requests, once the lock is free, do what they say.
    expect((await post(app, "/v1/runs", { workflow_id: "wf-4" })).status).toBe(201);
    for (const id of ["wf-1", "wf-2", "wf-3"])
      expect(await complete(id)).toMatchObject({ status: 200, body: { recorded: true } });
    expect(await post(app, HOOK, prompt)).toMatchObject({ status: 200, body: {} });
  });
});

describe("GET /openapi.json", () => {
  it("documents the 503 of a failing database on every /v1 operation", async () => {
    database = await createDatabase(":memory:", { create: true });
    const app = createApp({ database, predictor: createPredictor(), token: TOKEN, hooks: { wake() {} } });
    const { paths } = (await get(app, "/openapi.json")).body as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const operations = Object.entries(paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
      );
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, method, operation } of operations)
      expect(operation.responses[503]?.description, `${method} ${path}`).toMatch(
        /busy, disk_full, read_only/,
      );
  });
});
