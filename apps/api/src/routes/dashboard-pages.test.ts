import { describe, expect, it } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";

for (const engine of ENGINES) {
  describe(`the dashboard's pages (${engine})`, () => {
    const api = useApi(engine);

    it("answers / and the views under it with HTML, and an empty history with what to do", async () => {
      const { app } = await api();
      for (const path of ["/", "/patterns", "/validation"]) {
        const response = await app.request(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
        expect(await response.text()).toMatch(/^<!doctype html><html lang="en">/);
      }
      expect(await (await app.request("/")).text()).toContain("The history is empty");
      const script = await app.request("/assets/dashboard.js");
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    });

    it("is read-only: a write to a page is the JSON 404 of any unknown route, with or without the token", async () => {
      const { app } = await api();
      const answer = await post(app, "/patterns", {});
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: "not_found", message: "no route POST /patterns" } });
    });

    it("leaves the JSON API as it was", async () => {
      const { app } = await api();
      const response = await app.request("/v1/patterns");
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await response.json()).toEqual({ sort: "top", patterns: [] });
    });
  });
}
