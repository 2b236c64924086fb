import type { PatternloopDbError } from "@patternloop/db";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One problem with a request, by field. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** The one error body the API answers with: `{"error": {"code", "message", "issues"?}}`. */
export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  issues?: ApiIssue[],
) {
  return c.json({ error: issues === undefined ? { code, message } : { code, message, issues } }, status);
}

/**
 * The answer to a request the database failed while serving (busy, full, read-only, unreachable: see
 * `isStorageFailure`): 503, for the request was fine and may be sent again once the database works, with the
 * failure's code (`busy`, `disk_full`, `read_only`, …) and its one line after `prefix`.
 */
export function storageFailureError(c: Context, error: PatternloopDbError, prefix = "") {
  return apiError(c, 503, error.code, `${prefix}${error.message.split("\n")[0]}`);
}
