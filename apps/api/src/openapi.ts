import { z } from "zod";
import { patternListQuery, reliableQuery } from "./routes/patterns.js";
import { trendQuery } from "./routes/validation.js";
import { runCompletionSchema, runStartSchema } from "./schemas/run-schemas.js";

const json = (schema: z.ZodType) => ({
  "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) },
});
const errorResponse = { description: "a JSON error: {error: {code, message, issues?}}" };
const storageFailure = {
  description:
    "the database does not work right now; the JSON error's code names why (busy, disk_full, read_only, io_error, corrupt, open_failed, unreachable) and its message is one line: send the request again once it works",
};
const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: "query",
    required: false,
    schema: z.toJSONSchema(field as z.ZodType, { io: "input", unrepresentable: "any" }),
  }));

/** The OpenAPI 3.1 description of the API, generated from the zod schemas that validate its requests. */
export function openApiDocument(): Record<string, unknown> {
  const secured = [{ bearer: [] }];
  return {
    openapi: "3.1.0",
    info: { title: "patternloop hook receiver", version: "0.1.0" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {
      "/v1/runs": {
        post: {
          summary: "a run starts: store it and its predictions",
          security: secured,
          requestBody: { required: true, content: json(runStartSchema) },
          responses: {
            201: { description: "created, with predictions" },
            200: { description: "already registered" },
            400: errorResponse,
            401: errorResponse,
            413: errorResponse,
            503: storageFailure,
          },
        },
      },
      "/v1/runs/{workflow_id}/complete": {
        post: {
          summary: "a run ends: detect, validate",
          security: secured,
          parameters: [{ name: "workflow_id", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: json(runCompletionSchema) },
          responses: {
            200: { description: "the validation result" },
            400: errorResponse,
            401: errorResponse,
            404: errorResponse,
            409: errorResponse,
            503: storageFailure,
          },
        },
      },
      "/v1/hooks/claude-code": {
        post: {
          summary: "a Claude Code hook payload",
          security: secured,
          parameters: [
            {
              name: "Patternloop-Delivery-Key",
              in: "header",
              required: false,
              description:
                "the delivery's identity: the same key twice in a session is one delivery (a hook log replayed sends the payload's place in the log); without it each payload is an event, identified by its tool_use_id or else its content and how many identical payloads its session had before",
              schema: { type: "string" },
            },
          ],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
          responses: {
            200: {
              description:
                "kept (applied after the answer), a duplicate, or ignored; the body is {} (hook output that asks Claude Code for nothing), the Patternloop-Hook header says which",
            },
            400: errorResponse,
            401: errorResponse,
            500: { description: "the hook was not stored for another reason: a JSON error hook_not_stored" },
            503: storageFailure,
          },
        },
      },
      "/v1/patterns": {
        get: {
          summary: "patterns by occurrences, savings or first seen",
          parameters: queryParameters(patternListQuery),
          responses: { 200: { description: "patterns" }, 400: errorResponse, 503: storageFailure },
        },
      },
      "/v1/patterns/reliable": {
        get: {
          summary: "patterns whose predictions proved right",
          parameters: queryParameters(reliableQuery),
          responses: { 200: { description: "patterns" }, 503: storageFailure },
        },
      },
      "/v1/patterns/{pattern}": {
        get: {
          summary: "every statistic of one pattern",
          parameters: [{ name: "pattern", in: "path", required: true, schema: { type: "string" } }],
          responses: { 200: { description: "details" }, 404: errorResponse, 503: storageFailure },
        },
      },
      "/v1/validation/summary": {
        get: {
          summary: "the validation summary of §6",
          responses: { 200: { description: "summary" }, 503: storageFailure },
        },
      },
      "/v1/validation/trend": {
        get: {
          summary: "validations and accuracy per day",
          parameters: queryParameters(trendQuery),
          responses: { 200: { description: "trend" }, 503: storageFailure },
        },
      },
      "/healthz": {
        get: {
          summary:
            "the database answers a read and takes a write, and real writes are not failing; how many /v1 requests are in flight",
          responses: {
            200: { description: "ok" },
            503: {
              description:
                "degraded: `problems` names each check that failed and why; `recent_writes` is the last real write's storage failure, until a write succeeds",
            },
          },
        },
      },
    },
  };
}
