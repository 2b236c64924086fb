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
