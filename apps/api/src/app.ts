import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "./app-deps.js";
import { healthRoutes } from "./routes/health.js";

/** Builds the hook receiver: one sub-app per resource, one error handler. Listening is the caller's job. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.route("/healthz", healthRoutes(deps));
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException)
      return c.json({ error: { code: "http_error", message: error.message } }, error.status);
    console.error("[api] unhandled error:", error);
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  return app;
}
