import { describe, expect, it } from "vitest";
import { ENGINES, get, post, useApi } from "../test/support/api-harness.js";

const PATHS = [
  "/v1/runs",
  "/v1/runs/{workflow_id}/complete",
  "/v1/hooks/claude-code",
  "/v1/patterns",
  "/v1/patterns/{pattern}",
  "/v1/patterns/reliable",
  "/v1/validation/summary",
  "/v1/validation/trend",
  "/healthz",
];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

for (const engine of ENGINES) {
  describe(`the app (${engine})`, () => {
    const api = useApi(engine);

    it("answers /healthz from the database", async () => {
      const { app, db } = await api();
      await db
        .insertInto("operation_patterns")
        .values({ pattern_signature: "test:pytest:backend", pattern_type: "test" })
        .execute();
      const answer = await get(app, "/healthz");
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: "ok", engine, patterns: 1, requests_in_flight: 0 });
    });

    it("says 503 when the database is gone, naming what fails", async () => {
      const { app, handle } = await api();
      await handle.close();
      const answer = await get(app, "/healthz");
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({
        status: "degraded",
        problems: [
          { check: "read", message: expect.any(String) },
          { check: "write", message: expect.any(String) },
        ],
      });
    });

    it("answers an unknown route with a JSON 404 naming it", async () => {
      const { app } = await api();
      const answer = await post(app, "/v1/nothing", {});
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: "not_found", message: "no route POST /v1/nothing" } });
    });
  });
}

describe("GET /openapi.json", () => {
  const api = useApi("sqlite");

  it("is an OpenAPI 3.1 document listing every route, without a token", async () => {
    const answer = await get((await api()).app, "/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    const document = answer.body;
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.paths).sort()).toEqual([...PATHS].sort());
  });

  it("is structurally valid: operations with responses, declared path parameters, known security", async () => {
    const document = (await get((await api()).app, "/openapi.json")).body;
    const schemes = Object.keys(document.components?.securitySchemes ?? {});
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(document.paths)) {
      expect(path.startsWith("/")).toBe(true);
      const operations = Object.entries(item).filter(([key]) => METHODS.includes(key));
      expect(operations.length, path).toBeGreaterThan(0);
      for (const [method, operation] of operations) {
        const where = `${method} ${path}`;
        const responses = operation.responses as Record<string, { description?: unknown }>;
        expect(Object.keys(responses).length, where).toBeGreaterThan(0);
        for (const [code, response] of Object.entries(responses)) {
          expect(code, where).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
          expect(typeof response.description, where).toBe("string");
        }
        const parameters = (operation.parameters ?? []) as { name: string; in: string; required?: boolean }[];
        for (const name of path.match(/\{[^}]+\}/g) ?? []) {
          expect(parameters, where).toContainEqual(
            expect.objectContaining({ name: name.slice(1, -1), in: "path", required: true }),
          );
        }
        for (const requirement of (operation.security ?? []) as Record<string, unknown>[])
          for (const scheme of Object.keys(requirement)) expect(schemes, where).toContain(scheme);
      }
    }
  });

  it("describes the request bodies of the writes, behind the bearer token", async () => {
    const { paths, components } = (await get((await api()).app, "/openapi.json")).body;
    expect(Object.values(components.securitySchemes)).toContainEqual(
      expect.objectContaining({ type: "http", scheme: "bearer" }),
    );
    const body = (path: string) => paths[path].post.requestBody.content["application/json"].schema;
    expect(body("/v1/runs")).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["workflow_id"]),
      properties: expect.objectContaining({
        workflow_id: expect.any(Object),
        predictions: expect.any(Object),
      }),
    });
    expect(body("/v1/runs/{workflow_id}/complete")).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["status"]),
      properties: expect.objectContaining({
        status: expect.objectContaining({ enum: ["completed", "failed"] }),
        tool_calls: expect.any(Object),
      }),
    });
    expect(body("/v1/hooks/claude-code")).toMatchObject({ type: "object" });
    for (const path of ["/v1/runs", "/v1/runs/{workflow_id}/complete", "/v1/hooks/claude-code"]) {
      expect(paths[path].post.security?.length, path).toBeGreaterThan(0);
      expect(paths[path].post.responses, path).toHaveProperty("401");
    }
    const sort = paths["/v1/patterns"].get.parameters.find((p: { name: string }) => p.name === "sort");
    expect(sort.schema.enum).toEqual(["top", "high-value", "recent"]);
  });
});
