import { en } from "zod/locales";
import * as z from "zod/mini";
import { MAX_INPUT_DEPTH, withinDepth } from "./input-depth.js";
import { isPlainWorkflowRecord } from "./plain-workflow-record.js";
import { findUnstorableText, unstorableTextIn } from "./unstorable-text.js";
import { WORKFLOW_STATUSES } from "./workflow-status.js";

export { MAX_INPUT_DEPTH, withinDepth } from "./input-depth.js";
export { WORKFLOW_STATUSES, type WorkflowStatus } from "./workflow-status.js";

// zod's mini build: the same validation without its locales and methods, so that code parsing records in a
// browser does not carry half a megabyte of zod. Compose with its functions (`z.nullish(s)`, `z.pipe(a, b)`).
const optionalNumber = z.nullish(z.number());
/** Text patternloop keeps: no NUL and no lone surrogate (see {@link unstorableTextIn}). */
export const storableText = z.string().check(
  z.superRefine((text, ctx) => {
    const problem = unstorableTextIn(text);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  }),
);
const optionalText = z.nullish(storableText);

/**
 * The tokens and cost of one tool call when a transcript tells them: the assistant turn that issued the call
 * (split over the calls it issued) and the part of the next turn that read its result back (§4, issue 6).
 */
export const toolCallUsageSchema = z.object({
  input_tokens: z.number().check(z.nonnegative()),
  output_tokens: z.number().check(z.nonnegative()),
  cache_read_tokens: z.number().check(z.nonnegative()),
  cache_creation_tokens: z.number().check(z.nonnegative()),
  cost_usd: z.nullable(z.number().check(z.nonnegative())),
});
export type ToolCallUsage = z.infer<typeof toolCallUsageSchema>;

/**
 * What the agent executed, in Claude Code's own shape: a Bash call has `tool_input.command`.
 * Unknown fields (Claude Code adds some per version) are kept.
 */
export const toolCallSchema = z.looseObject({
  tool_name: z.pipe(storableText, z.string().check(z.minLength(1))),
  tool_input: z.optional(
    z
      .unknown()
      .check(z.refine((input) => withinDepth(input), `nested deeper than ${MAX_INPUT_DEPTH} levels`)),
  ),
  success: z.nullish(z.boolean()),
  duration_ms: optionalNumber,
  timestamp: optionalText,
  tool_use_id: optionalText,
  usage: z.nullish(toolCallUsageSchema),
  /** What a failed call reported (Claude Code's `PostToolUseFailure` `error`). */
  error: optionalText,
  /** Whether the failure was the user interrupting the call. */
  is_interrupt: z.nullish(z.boolean()),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** One agent run (§2), in the snake_case shape of the workflow histories patternloop reads. */
export const workflowRecordSchema = z.looseObject({
  workflow_id: optionalText,
  adw_id: optionalText,
  nl_input: optionalText,
  workflow_template: optionalText,
  status: z.nullish(z.enum(WORKFLOW_STATUSES)),
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
  tool_calls: z.nullish(z.array(toolCallSchema)),
});
export type WorkflowRecord = z.infer<typeof workflowRecordSchema>;

/** A record that has passed validation and carries its stable id (`workflow_id`, else `adw_id`). */
export type IdentifiedWorkflowRecord = WorkflowRecord & { workflow_id: string };

export interface RecordIssue {
  /** Dotted path of the offending field, `""` for the record itself. */
  path: string;
  message: string;
}

/** Options of {@link parseWorkflowRecord}. */
export interface ParseRecordOptions {
  /**
   * The caller has made sure that no string of the input holds unstorable text (for JSON, with
   * {@link mayHoldUnstorableText} on its text), so the walk over every string is skipped.
   */
  textChecked?: boolean;
}

export type ParseRecordResult =
  | { success: true; record: IdentifiedWorkflowRecord }
  | { success: false; issues: RecordIssue[] };

/** zod's English messages, for this parse only: the mini build carries none, and the global setting is the app's. */
const ENGLISH = en().localeError;

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
export function parseWorkflowRecord(input: unknown, options: ParseRecordOptions = {}): ParseRecordResult {
  if (options.textChecked !== true) {
    const unstorable = findUnstorableText(input);
    if (unstorable !== undefined) return { success: false, issues: [unstorable] };
  }
  let data: WorkflowRecord;
  // What the schema would return as it is (see plain-workflow-record.ts).
  if (isPlainWorkflowRecord(input)) data = input as WorkflowRecord;
  else {
    const parsed = workflowRecordSchema.safeParse(input, { error: ENGLISH });
    if (!parsed.success) {
      return {
        success: false,
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      };
    }
    data = parsed.data;
  }
  const workflowId = nonEmpty(data.workflow_id) ?? nonEmpty(data.adw_id);
  if (workflowId === undefined) {
    return {
      success: false,
      issues: [{ path: "workflow_id", message: "a record needs a workflow_id or an adw_id" }],
    };
  }
  return { success: true, record: { ...data, workflow_id: workflowId } };
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
