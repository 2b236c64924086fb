import { receiveClaudeCodeHook } from "@patternloop/validator";
import { Hono } from "hono";
import { apiError } from "../api-error.js";
import type { AppDeps } from "../app-deps.js";

/**
 * `POST /v1/hooks/claude-code`: Claude Code's own hook payloads. Claude Code treats hooks as fail-open, so
 * this answers 2xx whatever happens inside (failures are logged); only a body that is not JSON is refused.
 */
export function hookRoutes(deps: AppDeps): Hono {
  return new Hono().post("/claude-code", async (c) => {
    let payload: unknown;
    try {
      payload = JSON.parse(await c.req.text());
    } catch (error) {
      return apiError(c, 400, "invalid_json", `request body is not JSON: ${(error as Error).message}`);
    }
    try {
      const outcome = await receiveClaudeCodeHook(deps.database, payload, {
        predictor: deps.predictor,
        statistics: deps.statistics,
        candidateThresholds: deps.candidateThresholds,
        log: deps.log,
      });
      return c.json({ ok: true, ...outcome }, 200);
    } catch (error) {
      console.error("[api] hook processing failed:", error);
      return c.json({ ok: false, action: "error", reason: "processing failed; logged on the server" }, 202);
    }
  });
}
