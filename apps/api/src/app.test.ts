import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type PatternloopDatabase } from "@patternloop/db";
import { createPredictor } from "@patternloop/validator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "./app.js";

describe("api app", () => {
  let dir: string;
  let database: PatternloopDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "patternloop-api-"));
    database = await createDatabase(join(dir, "history.sqlite"), { create: true });
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /healthz from the database", async () => {
    await database.db
      .insertInto("operation_patterns")
      .values({ pattern_signature: "test:pytest:backend", pattern_type: "test" })
      .execute();
    const response = await createApp({ database, predictor: createPredictor(), token: "secret" }).request(
      "/healthz",
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", engine: "sqlite", patterns: 1 });
  });

  it("says 503 when the database is gone", async () => {
    await database.close();
    const response = await createApp({ database, predictor: createPredictor(), token: "secret" }).request(
      "/healthz",
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });

  it("answers an unknown route with a JSON 404 naming it", async () => {
    const response = await createApp({ database, predictor: createPredictor(), token: "secret" }).request(
      "/v1/nothing",
      { method: "POST", headers: { authorization: "Bearer secret" } },
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "no route POST /v1/nothing" },
    });
  });
});
