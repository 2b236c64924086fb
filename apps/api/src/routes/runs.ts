import { createCompletionQueue, startRun } from "@patternloop/validator";
import { Hono } from "hono";
import { apiError } from "../api-error.js";
import { type AppDeps, promotionThresholds } from "../app-deps.js";
import { requireJson } from "../middleware/json-body.js";
import { runCompletionSchema, runStartSchema } from "../schemas/run-schemas.js";
import { validateJson, validateParamText } from "../schemas/validate.js";
import type { WriteOutcomes } from "../write-outcomes.js";

/** `POST /v1/runs` and `POST /v1/runs/{workflow_id}/complete` (§7). */
export function runRoutes(deps: AppDeps, writes: WriteOutcomes): Hono {
  // Completions arriving together are written together (group commit), each answered with its own result.
  const completions = createCompletionQueue(deps.database, {
    predictor: deps.predictor,
    candidateThresholds: promotionThresholds(deps),
    log: deps.log,
  });
  return new Hono()
    .use(requireJson)
    .use("/:workflow_id/complete", validateParamText("workflow_id"))
    .post("/", validateJson(runStartSchema), async (c) => {
      const start = c.req.valid("json");
      const result = await startRun(deps.database, start, deps.predictor);
      if (result.created) writes.succeeded();
      return c.json(result, result.created ? 201 : 200);
    })
    .post("/:workflow_id/complete", validateJson(runCompletionSchema), async (c) => {
      const outcome = await completions.complete(c.req.param("workflow_id"), c.req.valid("json"));
      switch (outcome.outcome) {
        case "completed":
          writes.succeeded();
          return c.json(outcome.result, 200);
        case "unknown_run":
          return apiError(c, 404, outcome.outcome, outcome.message);
        case "already_finished":
          return apiError(c, 409, outcome.outcome, outcome.message);
        case "failed":
          // Answered by app.onError: 503 when the database failed, 500 otherwise.
          throw outcome.error;
      }
    });
}
