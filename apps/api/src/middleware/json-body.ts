import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { apiError } from "../api-error.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Refuses bodies over `maxBytes` (413) and bodies that are not valid UTF-8 (400) before anything parses
 * them; the bytes read here are what the JSON validator reads next.
 */
export function jsonBody({ maxBytes }: { maxBytes: number }): MiddlewareHandler[] {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => apiError(c, 413, "body_too_large", `request body over ${maxBytes} bytes`),
  });
  const strictUtf8: MiddlewareHandler = async (c, next) => {
    const bytes = await c.req.arrayBuffer();
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return apiError(c, 400, "invalid_utf8", "request body is not valid UTF-8");
    }
    return next();
  };
  return [limit, strictUtf8];
}

/** Refuses a body that is not declared as JSON (415), so the client hears what is wrong with it. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    return apiError(
      c,
      415,
      "unsupported_media_type",
      `send Content-Type: application/json (got ${type === "" ? "none" : JSON.stringify(type)})`,
    );
  }
  return next();
};
