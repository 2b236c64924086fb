import { findUnstorableHookText } from "@patternloop/core";
import { isStorageFailure } from "@patternloop/db";
import { receiveClaudeCodeHook } from "@patternloop/validator";
import { Hono } from "hono";
import { apiError, storageFailureError } from "../api-error.js";
import { type AppDeps, promotionThresholds } from "../app-deps.js";
import { logError, logStorageFailure } from "../log-error.js";
import type { WriteOutcomes } from "../write-outcomes.js";

/**
 * `POST /v1/hooks/claude-code`: Claude Code's own hook payloads. A payload that is stored, recognised as a
 * duplicate or ignored is answered 200; a body that is not JSON, or that holds text patternloop would keep
 * and cannot (a NUL, a lone surrogate), 400. A payload that could not be stored is answered with the reason,
 * and logged: 503 with the failure's code (`busy`, `disk_full`, `read_only`, …) when the database does not
 * work right now, else 500 `hook_not_stored`; never 2xx, which would tell the sender it was kept. (Claude
 * Code treats hooks as fail-open, so neither stops the session.)
 *
 * A `Patternloop-Delivery-Key` header tells the delivery apart from others of the same payload: a hook log
 * replayed sends the payload's place in the log, so the same payload on two lines is two deliveries. Claude
 * Code sends none: a payload is then identified by its content alone.
 */
export const DELIVERY_KEY_HEADER = "patternloop-delivery-key";

export function hookRoutes(deps: AppDeps, writes: WriteOutcomes): Hono {
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
        candidateThresholds: promotionThresholds(deps),
        log: deps.log,
        deliveryKey: c.req.header(DELIVERY_KEY_HEADER) || undefined,
      });
      // An ignored or repeated payload stores nothing, so it says nothing of whether writes work.
      if (outcome.action !== "ignored" && outcome.action !== "duplicate") writes.succeeded();
      return c.json({ ok: true, ...outcome }, 200);
    } catch (error) {
      if (isStorageFailure(error)) {
        writes.failed(error);
        logStorageFailure("hook not stored", error);
        return storageFailureError(c, error, "the hook payload was not stored: ");
      }
      logError("hook processing failed", error);
      const reason = error instanceof Error ? error.message : String(error);
      return apiError(c, 500, "hook_not_stored", `the hook payload was not stored: ${reason}`);
    }
  });
}
