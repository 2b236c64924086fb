import { isValidSignature, storableText, toolCallSchema, toUtcIso } from "@patternloop/core";
import { z } from "zod";

const id = z.pipe(storableText, z.string().trim().min(1).max(200));
const text = (max: number) => z.pipe(storableText, z.string().max(max)).nullish();
const count = z.number().int().nonnegative().nullish();
// A time that does not parse was stored as the time of receipt, silently: it is refused instead.
const time = text(64).refine(
  (value) => value === null || value === undefined || value.trim() === "" || toUtcIso(value) !== null,
  "not a date and time (ISO 8601, e.g. 2026-12-06T10:15:00Z)",
);

export const predictionSchema = z.object({
  signature: z.string().refine(isValidSignature, "not a signature (category:subcategory:target, lower case)"),
  confidence: z.number().min(0).max(100),
  reason: z.pipe(storableText, z.string().max(2000)).default("given by the caller"),
});

/** `POST /v1/runs`: a run starts. */
export const runStartSchema = z.object({
  workflow_id: id,
  nl_input: text(200_000),
  workflow_template: text(200),
  adw_id: id.nullish(),
  start_time: time,
  request_id: text(200),
  predictions: z.array(predictionSchema).max(200).optional(),
});

/** `POST /v1/runs/{workflow_id}/complete`: a run ends. */
export const runCompletionSchema = z.object({
  status: z.enum(["completed", "failed"]),
  end_time: time,
  duration_seconds: z.number().nonnegative().nullish(),
  error_message: text(100_000),
  retry_count: count,
  input_tokens: count,
  output_tokens: count,
  cache_read_tokens: count,
  cache_creation_tokens: count,
  total_tokens: count,
  actual_cost_total: z.number().nonnegative().nullish(),
  model_used: text(200),
  tool_calls: z.array(toolCallSchema).max(10_000).optional(),
});
