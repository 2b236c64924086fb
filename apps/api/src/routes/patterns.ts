import {
  patternDetails,
  recentPatterns,
  reliablePatterns,
  scriptableHighValuePatterns,
  topPatterns,
  withScriptability,
} from "@patternloop/db";
import { Hono } from "hono";
import { z } from "zod";
import { apiError } from "../api-error.js";
import type { AppDeps } from "../app-deps.js";
import { validateParamText, validateQuery } from "../schemas/validate.js";

const limit = z.coerce.number().int().min(1).max(1000).default(10);

export const patternListQuery = z.object({
  sort: z.enum(["top", "high-value", "recent"]).default("top"),
  limit,
});
export const reliableQuery = z.object({
  min_accuracy: z.coerce.number().min(0).max(1).default(0.7),
  min_occurrences: z.coerce.number().int().min(0).default(5),
  limit,
});

/** `GET /v1/patterns`, `/v1/patterns/reliable`, `/v1/patterns/{id or signature}`. */
export function patternRoutes({ database, savings }: AppDeps): Hono {
  const { db } = database;
  return new Hono()
    .get("/", validateQuery(patternListQuery), async (c) => {
      const { sort, limit } = c.req.valid("query");
      // The same lists as `patternloop analyze`: each row with its scriptability, high-value ranked by it.
      const rows =
        sort === "top"
          ? await withScriptability(db, await topPatterns(db, limit, savings))
          : sort === "high-value"
            ? await scriptableHighValuePatterns(db, limit, savings)
            : await recentPatterns(db, limit, savings);
      return c.json({ sort, patterns: rows });
    })
    .get("/reliable", validateQuery(reliableQuery), async (c) => {
      const query = c.req.valid("query");
      return c.json({
        patterns: await reliablePatterns(db, {
          minAccuracy: query.min_accuracy,
          minOccurrences: query.min_occurrences,
          limit: query.limit,
        }),
      });
    })
    .get("/:pattern", validateParamText("pattern"), async (c) => {
      const details = await patternDetails(db, c.req.param("pattern"), savings);
      return details === undefined
        ? apiError(c, 404, "unknown_pattern", `no pattern ${JSON.stringify(c.req.param("pattern"))}`)
        : c.json(details);
    });
}
