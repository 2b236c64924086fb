import { findUnstorableHookText } from "@patternloop/core";
import { isStorageFailure } from "@patternloop/db";
import { acceptClaudeCodeHook } from "@patternloop/validator";
import { Hono } from "hono";
import { apiError, storageFailureError } from "../api-error.js";
import type { AppDeps } from "../app-deps.js";
import { logError, logStorageFailure } from "../log-error.js";
import type { WriteOutcomes } from "../write-outcomes.js";

/**
 * `POST /v1/hooks/claude-code`: Claude Code's own hook payloads. The receiver keeps the payload (one insert)
 * and answers; the event is applied to runs after the answer, in its session's order, and one kept is never
 * lost: a restart applies what was left (see `startHookWorker`).
 *
 * The answer to a payload kept, recognised as a duplicate or ignored is 200 with `{}`: Claude Code reads a
 * 2xx JSON body as hook output, where `{}` asks for nothing (an empty body would too; plain text would be
 * added to the model's context after a `UserPromptSubmit`, and keys outside the output schema have no
 * place there). What became of the payload is in the `Patternloop-Hook` header: `kept`, `duplicate` or
 * `ignored`. A body that is not JSON, or that holds text patternloop would keep and cannot (a NUL, a lone
 * surrogate), is answered 400. A payload that could not be kept is answered with the reason, and logged:
 * 503 with the failure's code (`busy`, `disk_full`, `read_only`, …) when the database does not work right
 * now, else 500 `hook_not_stored`; never 2xx, which would tell the sender it was kept. (Claude Code treats
 * hooks as fail-open, so neither stops the session.)
 *
 * A `Patternloop-Delivery-Key` header tells a delivery sent again apart from a new event: the same key twice
 * in a session is one delivery (a hook log replayed sends each payload's place in the log). Claude Code
 * sends none: each payload it sends is then an event, identified as `hookEventId` says.
 */
export const DELIVERY_KEY_HEADER = "patternloop-delivery-key";

/** The response header that tells what became of a hook payload: `kept`, `duplicate` or `ignored`. */
export const HOOK_OUTCOME_HEADER = "patternloop-hook";

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
      const accepted = await acceptClaudeCodeHook(deps.database, payload, {
        deliveryKey: c.req.header(DELIVERY_KEY_HEADER) || undefined,
      });
      if (accepted.accepted === "kept") {
        // A repeated or ignored payload stores nothing, so it says nothing of whether writes work.
        writes.succeeded();
        deps.hooks.wake();
      }
      c.header(HOOK_OUTCOME_HEADER, accepted.accepted);
      return c.json({}, 200);
    } catch (error) {
      if (isStorageFailure(error)) {
        writes.failed(error);
        logStorageFailure("hook not stored", error);
        return storageFailureError(c, error, "the hook payload was not stored: ");
      }
      logError("hook not stored", error);
      const reason = error instanceof Error ? error.message : String(error);
      return apiError(c, 500, "hook_not_stored", `the hook payload was not stored: ${reason}`);
    }
  });
}
