import { withinDepth } from "./input-depth.js";
import { WORKFLOW_STATUSES } from "./workflow-status.js";

// A hand-written check of the common record, so that loading a large history does not pay zod's general
// parse for each of its runs (a third of the time of `ingest workflows` once the database was fast). It
// accepts only records that `workflowRecordSchema` accepts unchanged; anything else (a wrong type, a usage
// with a field the schema would strip) is left to the schema, which says what is wrong.

const TEXT_FIELDS = [
  "workflow_id",
  "adw_id",
  "nl_input",
  "workflow_template",
  "start_time",
  "end_time",
  "error_message",
  "model_used",
] as const;

const NUMBER_FIELDS = [
  "duration_seconds",
  "retry_count",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_creation_tokens",
  "total_tokens",
  "actual_cost_total",
] as const;

const USAGE_COUNTS = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"] as const;

const STATUSES: readonly unknown[] = WORKFLOW_STATUSES;

/**
 * True when `value` is a workflow record that `workflowRecordSchema` would return as it is (unknown fields
 * kept), so that its parse can be skipped; false says nothing (the schema decides). Its strings are not
 * looked at: `parseWorkflowRecord` checks them all first.
 */
export function isPlainWorkflowRecord(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const field of TEXT_FIELDS) if (!isOptionalText(value[field])) return false;
  for (const field of NUMBER_FIELDS) if (!isOptionalNumber(value[field])) return false;
  const status = value.status;
  if (status !== undefined && status !== null && !STATUSES.includes(status)) return false;
  const calls = value.tool_calls;
  if (calls === undefined || calls === null) return true;
  if (!Array.isArray(calls)) return false;
  for (const call of calls) if (!isPlainToolCall(call)) return false;
  return true;
}

function isPlainToolCall(call: unknown): boolean {
  if (!isPlainObject(call)) return false;
  const name = call.tool_name;
  if (typeof name !== "string" || name.length === 0) return false;
  if (call.success !== undefined && call.success !== null && typeof call.success !== "boolean") return false;
  if (!isOptionalNumber(call.duration_ms)) return false;
  if (!isOptionalText(call.timestamp) || !isOptionalText(call.tool_use_id)) return false;
  if (!isOptionalText(call.error)) return false;
  const interrupt = call.is_interrupt;
  if (interrupt !== undefined && interrupt !== null && typeof interrupt !== "boolean") return false;
  if (!isPlainUsage(call.usage)) return false;
  const input = call.tool_input;
  return input === null || typeof input !== "object" || withinDepth(input);
}

/** A usage with exactly the schema's fields (the schema strips any other, so it must copy the object). */
function isPlainUsage(usage: unknown): boolean {
  if (usage === undefined || usage === null) return true;
  if (!isPlainObject(usage)) return false;
  let fields = 0;
  for (const field of USAGE_COUNTS) {
    const count = usage[field];
    if (typeof count !== "number" || !Number.isFinite(count) || count < 0) return false;
    fields++;
  }
  const cost = usage.cost_usd;
  if (cost !== null && (typeof cost !== "number" || !Number.isFinite(cost) || cost < 0)) return false;
  return Object.keys(usage).length === fields + 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, "__proto__")
  );
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === "string";
}

function isOptionalNumber(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "number" && Number.isFinite(value));
}
