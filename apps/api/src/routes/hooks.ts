import { findUnstorableHookText } from "@patternloop/core";
import { receiveClaudeCodeHook } from "@patternloop/validator";
import { Hono } from "hono";
import { apiError } from "../api-error.js";
import type { AppDeps } from "../app-deps.js";
import { logError } from "../log-error.js";

/**
 * `POST /v1/hooks/claude-code`: Claude Code's own hook payloads. Claude Code treats hooks as fail-open, so
 * this answers 2xx whatever happens inside (failures are logged); only a body that is not JSON, or that holds
 * text patternloop would keep and cannot (a NUL, a lone surrogate), is refused.
 */
export function hookRoutes(deps: AppDeps): Hono {
  return new Hono().post("/claude-code", async (c) => {
    let payload: unknown;
    try {
      payload = JSON.parse(await c.req.text());
    } catch (error) {
      return apiError(c, 400, "invalid_json", `request body is not JSON: ${(error as Error).message}`);
    }
    const unstorable =
      typeof payload === "object" && payload !== null && !Array.isArray(payload)
        ? findUnstorableHookText(payload as Record<string, unknown>)
        : undefined;
    if (unstorable !== undefined)
      return apiError(c, 400, "invalid_text", `${unstorable.path}: ${unstorable.message}`, [unstorable]);
    try {
      const outcome = await receiveClaudeCodeHook(deps.database, payload, {
        predictor: deps.predictor,
        statistics: deps.statistics,
        candidateThresholds: deps.candidateThresholds,
        log: deps.log,
      });
      return c.json({ ok: true, ...outcome }, 200);
    } catch (error) {
      logError("hook processing failed", error);
      return c.json({ ok: false, action: "error", reason: "processing failed; logged on the server" }, 202);
    }
  });
}
