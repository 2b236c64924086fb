import { z } from "zod";
import { findUnstorableText, unstorableTextIn } from "./unstorable-text.js";

/** Run statuses of §2. */
export const WORKFLOW_STATUSES = ["pending", "running", "completed", "failed"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

const optionalNumber = z.number().finite().nullish();
/** Text patternloop keeps: no NUL and no lone surrogate (see {@link unstorableTextIn}). */
export const storableText = z.string().superRefine((text, ctx) => {
  const problem = unstorableTextIn(text);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});
const optionalText = storableText.nullish();

/** Nesting a tool input may have; deeper JSON is refused rather than overflowing the stack later. */
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests no deeper than `limit` arrays and objects (checked without recursion). */
export function withinDepth(value: unknown, limit = MAX_INPUT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return true;
}

/**
 * The tokens and cost of one tool call when a transcript tells them: the assistant turn that issued the call
 * (split over the calls it issued) and the part of the next turn that read its result back (§4, issue 6).
 */
export const toolCallUsageSchema = z.object({
  input_tokens: z.number().nonnegative(),
  output_tokens: z.number().nonnegative(),
  cache_read_tokens: z.number().nonnegative(),
  cache_creation_tokens: z.number().nonnegative(),
  cost_usd: z.number().nonnegative().nullable(),
});
export type ToolCallUsage = z.infer<typeof toolCallUsageSchema>;

/**
 * What the agent executed, in Claude Code's own shape: a Bash call has `tool_input.command`.
 * Unknown fields (Claude Code adds some per version) are kept.
 */
export const toolCallSchema = z.looseObject({
  tool_name: storableText.pipe(z.string().min(1)),
  tool_input: z
    .unknown()
    .refine((input) => withinDepth(input), `nested deeper than ${MAX_INPUT_DEPTH} levels`)
    .optional(),
  success: z.boolean().nullish(),
  duration_ms: optionalNumber,
  timestamp: optionalText,
  tool_use_id: optionalText,
  usage: toolCallUsageSchema.nullish(),
  /** What a failed call reported (Claude Code's `PostToolUseFailure` `error`). */
  error: optionalText,
  /** Whether the failure was the user interrupting the call. */
  is_interrupt: z.boolean().nullish(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** One agent run (§2), in the snake_case shape of the workflow histories patternloop reads. */
export const workflowRecordSchema = z.looseObject({
  workflow_id: optionalText,
  adw_id: optionalText,
  nl_input: optionalText,
  workflow_template: optionalText,
  status: z.enum(WORKFLOW_STATUSES).nullish(),
  start_time: optionalText,
  end_time: optionalText,
  duration_seconds: optionalNumber,
  error_message: optionalText,
  retry_count: optionalNumber,
  input_tokens: optionalNumber,
  output_tokens: optionalNumber,
  cache_read_tokens: optionalNumber,
  cache_creation_tokens: optionalNumber,
  total_tokens: optionalNumber,
  actual_cost_total: optionalNumber,
  model_used: optionalText,
  tool_calls: z.array(toolCallSchema).nullish(),
});
export type WorkflowRecord = z.infer<typeof workflowRecordSchema>;

/** A record that has passed validation and carries its stable id (`workflow_id`, else `adw_id`). */
export type IdentifiedWorkflowRecord = WorkflowRecord & { workflow_id: string };

export interface RecordIssue {
  /** Dotted path of the offending field, `""` for the record itself. */
  path: string;
  message: string;
}

export type ParseRecordResult =
  | { success: true; record: IdentifiedWorkflowRecord }
  | { success: false; issues: RecordIssue[] };

/**
 * Validates unknown input as a workflow record. Never throws: problems come back as readable issues.
 * A record without `workflow_id` takes its `adw_id` as id (§2); one with neither is refused, and so is one
 * with text patternloop cannot keep anywhere in it, its tool inputs and unknown fields included
 * ({@link findUnstorableText}).
 *
 * @example
 * const parsed = parseWorkflowRecord(JSON.parse(line));
 * if (!parsed.success) console.error(parsed.issues.map((i) => `${i.path}: ${i.message}`));
 */
export function parseWorkflowRecord(input: unknown): ParseRecordResult {
  const unstorable = findUnstorableText(input);
  if (unstorable !== undefined) return { success: false, issues: [unstorable] };
  const parsed = workflowRecordSchema.safeParse(input);
  if (!parsed.success) {
    return {
      success: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    };
  }
  const workflowId = nonEmpty(parsed.data.workflow_id) ?? nonEmpty(parsed.data.adw_id);
  if (workflowId === undefined) {
    return {
      success: false,
      issues: [{ path: "workflow_id", message: "a record needs a workflow_id or an adw_id" }],
    };
  }
  return { success: true, record: { ...parsed.data, workflow_id: workflowId } };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The shell command of a Bash tool call, or undefined for any other call. */
export function bashCommandOf(call: ToolCall): string | undefined {
  if (call.tool_name !== "Bash") return undefined;
  const input = call.tool_input;
  if (typeof input !== "object" || input === null) return undefined;
  const command = (input as { command?: unknown }).command;
  return typeof command === "string" ? command : undefined;
}
