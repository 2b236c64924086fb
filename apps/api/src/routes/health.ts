import { Hono } from "hono";
import type { AppDeps } from "../app-deps.js";
import { logError } from "../log-error.js";

/**
 * `GET /healthz`: the database answers a query (503 when it does not), and how many `/v1` requests the
 * server is handling (`requests_in_flight`, which a graceful restart can wait on).
 */
export function healthRoutes({ database }: AppDeps, inFlight: () => number): Hono {
  return new Hono().get("/", async (c) => {
    try {
      const row = await database.db
        .selectFrom("operation_patterns")
        .select((eb) => eb.fn.countAll<number>().as("patterns"))
        .executeTakeFirstOrThrow();
      return c.json({
        status: "ok",
        engine: database.engine,
        patterns: Number(row.patterns),
        requests_in_flight: inFlight(),
      });
    } catch (error) {
      logError("health check failed", error);
      return c.json({ status: "unavailable", engine: database.engine }, 503);
    }
  });
}
