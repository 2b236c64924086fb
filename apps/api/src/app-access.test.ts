import { useFreshDatabase } from "@patternloop/db/testing";
import { createPredictor } from "@patternloop/validator";
import { describe, expect, it } from "vitest";
import { post, useApi } from "../test/support/api-harness.js";
import { createApp } from "./app.js";
import type { AppDeps } from "./app-deps.js";
import { startHookWorker } from "./hook-worker.js";

const START = { workflow_id: "wf-access", nl_input: "Fix the failing tests" };

describe("who may write to the app", () => {
  const fresh = useFreshDatabase("sqlite");

  it("is decided by whoever builds it: without a token or localOnly: true, it is refused", async () => {
    const database = fresh().handle;
    const predictor = createPredictor();
    const hooks = startHookWorker(database, { predictor });
    // @ts-expect-error: the type refuses an app without a token or an explicit local-only choice
    const missing: AppDeps = { database, predictor, hooks };
    const refusal =
      "createApp needs a token (every write must carry it as Authorization: Bearer <token>), or localOnly: true for an app served on loopback only";
    expect(() => createApp(missing)).toThrow(new TypeError(refusal));
    // JavaScript callers can pass what the type refuses: an empty token is no token.
    expect(() => createApp({ database, predictor, hooks, token: "  " })).toThrow(new TypeError(refusal));
    expect(() => createApp({ database, predictor, hooks, localOnly: false } as unknown as AppDeps)).toThrow(
      new TypeError(refusal),
    );
    await hooks.stop();
  });

  it("is refused without a predictor, which every run start needs", () => {
    const database = fresh().handle;
    // @ts-expect-error: the type requires a predictor
    const missing: AppDeps = { database, token: "t", hooks: { wake: () => {} } };
    expect(() => createApp(missing)).toThrow(
      new TypeError(
        "createApp needs a predictor: await trainPredictor(database.db) from @patternloop/validator",
      ),
    );
  });
});

describe("a local-only app", () => {
  const api = useApi("sqlite", { token: null });

  it("takes writes without a token, as its caller chose", async () => {
    const { app } = await api();
    const answer = await post(app, "/v1/runs", START, { "content-type": "application/json" });
    expect(answer.status).toBe(201);
  });
});

describe("an app with a token", () => {
  const api = useApi("sqlite");

  it("refuses writes without it", async () => {
    const { app } = await api();
    const answer = await post(app, "/v1/runs", START, { "content-type": "application/json" });
    expect(answer.status).toBe(401);
  });
});
