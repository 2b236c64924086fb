import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { apiError } from "../api-error.js";

export interface BearerAuthOptions {
  /** The expected token; undefined lets every request through (a local-only server). */
  token: string | undefined;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Requires `Authorization: Bearer <token>`. The comparison is constant-time over SHA-256 digests, so neither
 * the token's content nor its length leaks through timing.
 */
export function bearerAuth({ token }: BearerAuthOptions): MiddlewareHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (expected === undefined) return next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match === null)
      return apiError(c, 401, "unauthorized", "missing bearer token: send Authorization: Bearer <token>");
    if (!timingSafeEqual(digest(match[1] as string), expected))
      return apiError(c, 401, "unauthorized", "wrong bearer token");
    return next();
  };
}
