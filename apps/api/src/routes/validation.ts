import { validationSummary, validationTrend } from "@patternloop/db";
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { validateQuery } from "../schemas/validate.js";

export const trendQuery = z.object({ days: z.coerce.number().int().min(1).max(3650).default(30) });

/** `GET /v1/validation/summary` and `/v1/validation/trend?days=N` (§6). */
export function validationRoutes({ database }: AppDeps): Hono {
  return new Hono()
    .get("/summary", async (c) => c.json(await validationSummary(database.db)))
    .get("/trend", validateQuery(trendQuery), async (c) =>
      c.json({
        days: c.req.valid("query").days,
        trend: await validationTrend(database.db, c.req.valid("query").days),
      }),
    );
}
