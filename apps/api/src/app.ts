import { dashboardRoutes } from "@patternloop/dashboard";
import { isStorageFailure } from "@patternloop/db";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { apiError, storageFailureError } from "./api-error.js";
import type { AppDeps } from "./app-deps.js";
import { createClientAbortLog } from "./client-abort-log.js";
import { logError, logStorageFailure } from "./log-error.js";
import { bearerAuth } from "./middleware/bearer-auth.js";
import { DEFAULT_BODY_LIMIT, jsonBody } from "./middleware/json-body.js";
import { openApiDocument } from "./openapi.js";
import { healthRoutes } from "./routes/health.js";
import { hookRoutes } from "./routes/hooks.js";
import { patternRoutes } from "./routes/patterns.js";
import { runRoutes } from "./routes/runs.js";
import { validationRoutes } from "./routes/validation.js";
import { createWriteOutcomes } from "./write-outcomes.js";

/**
 * Builds the hook receiver (§7): one sub-app per resource, writes behind the bearer token and the body
 * checks, one error handler. Listening is the caller's job (see `startServer`).
 */
export function createApp(deps: AppDeps): Hono {
  const token = requiredAccess(deps);
  const app = new Hono();
  // What real writes met, for /healthz: a probe alone misses a disk too full for them but not for it.
  const writes = createWriteOutcomes();
  let inFlight = 0;
  app.use("/v1/*", async (_, next) => {
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  });
  // Every write is authenticated, then size- and encoding-checked, before anything parses it.
  app.on(
    ["POST", "PUT", "PATCH", "DELETE"],
    "/v1/*",
    bearerAuth({ token }),
    jsonBody({
      maxBytes: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
      aborts: deps.clientAborts ?? createClientAbortLog(),
    }),
  );
  app.route("/v1/runs", runRoutes(deps, writes));
  app.route("/v1/hooks", hookRoutes(deps, writes));
  app.route("/v1/patterns", patternRoutes(deps));
  app.route("/v1/validation", validationRoutes(deps));
  app.route(
    "/healthz",
    healthRoutes(deps, () => inFlight, writes),
  );
  const openApi = openApiDocument();
  app.get("/openapi.json", (c) => c.json(openApi));
  // The dashboard's pages (read-only) at `/` and under it; the JSON API above is unchanged.
  app.route("/", dashboardRoutes({ database: deps.database, savings: deps.savings }));
  app.notFound((c) => apiError(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof HTTPException)
      return apiError(
        c,
        error.status === 400 ? 400 : error.status,
        error.status === 400 ? "invalid_json" : "http_error",
        error.message,
      );
    if (isStorageFailure(error)) {
      logStorageFailure(`${c.req.method} ${c.req.path}`, error);
      if (c.req.method !== "GET" && c.req.method !== "HEAD") writes.failed(error);
      return storageFailureError(c, error);
    }
    logError("unhandled error", error);
    return apiError(c, 500, "internal", "internal error; logged on the server");
  });
  return app;
}

/**
 * The token writes must carry, or undefined for an app its caller chose to make local-only. The types say the
 * same; this holds for callers in JavaScript too, where a missing token would serve writes to anyone and a
 * missing predictor would answer every run start with a 500.
 */
function requiredAccess(deps: AppDeps): string | undefined {
  const given: Partial<AppDeps> = deps;
  if (given.database === undefined)
    throw new TypeError("createApp needs a database: await createDatabase(url) from @patternloop/db");
  if (given.predictor === undefined)
    throw new TypeError(
      "createApp needs a predictor: await trainPredictor(database.db) from @patternloop/validator",
    );
  const token = typeof given.token === "string" ? given.token.trim() : "";
  if (token !== "") return token;
  if (given.localOnly === true) return undefined;
  throw new TypeError(
    "createApp needs a token (every write must carry it as Authorization: Bearer <token>), or localOnly: true for an app served on loopback only",
  );
}
