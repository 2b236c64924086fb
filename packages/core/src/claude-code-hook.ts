import { z } from "zod";
import { findUnstorableText, type TextIssue } from "./unstorable-text.js";
import { type ToolCall, withinDepth } from "./workflow-record.js";

/**
 * Nesting a hook payload may have: far more than Claude Code sends, little enough for the payload to be
 * digested and its tool input stored without overflowing the stack.
 */
export const MAX_HOOK_DEPTH = 256;

/**
 * A Claude Code hook payload as Claude Code sends it (`session_id`, `hook_event_name`, `tool_name`,
 * `tool_input`, `tool_response`, `tool_use_id`, `prompt`, `transcript_path`, …). Fields patternloop does not
 * use, and those later Claude Code versions add, are kept. A payload nested deeper than
 * {@link MAX_HOOK_DEPTH}, or with text patternloop cannot keep ({@link findUnstorableHookText}), is refused.
 */
export const claudeCodeHookSchema = z
  .looseObject({
    hook_event_name: z.string().min(1),
    // Claude Code sends null for some fields it has no value for (seen for transcript_path): null is absent.
    session_id: z.string().min(1).nullish(),
    prompt: z.string().nullish(),
    prompt_id: z.string().nullish(),
    tool_name: z.string().min(1).nullish(),
    tool_input: z.unknown().optional(),
    tool_response: z.unknown().optional(),
    tool_use_id: z.string().nullish(),
    transcript_path: z.string().nullish(),
    cwd: z.string().nullish(),
    duration_ms: z.number().nonnegative().nullish(),
  })
  .refine((payload) => withinDepth(payload, MAX_HOOK_DEPTH), `nested deeper than ${MAX_HOOK_DEPTH} levels`)
  .superRefine((hook, ctx) => {
    const issue = findUnstorableHookText(hook);
    if (issue !== undefined) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  });
export type ClaudeCodeHook = z.infer<typeof claudeCodeHookSchema>;

/**
 * The first text of a hook payload that patternloop would keep and cannot ({@link findUnstorableText}), keys
 * included. The tool's output (`tool_response`) is left out: nothing of it is read or stored, and real tools print NUL bytes (`find -print0`), which must not cost the tool call.
 */
export function findUnstorableHookText(payload: Record<string, unknown>): TextIssue | undefined {
  const { tool_response: _output, ...kept } = payload;
  return findUnstorableText(kept);
}

/**
 * The tool call a `PostToolUse` / `PostToolUseFailure` payload reports; undefined for other events. Claude
 * Code sends `PostToolUse` only for a call that succeeded and `PostToolUseFailure` for one that failed, with
 * its `error` and, when the user interrupted it, `is_interrupt`.
 */
export function toolCallOfHook(hook: ClaudeCodeHook): ToolCall | undefined {
  const failed = hook.hook_event_name === "PostToolUseFailure";
  if ((hook.hook_event_name !== "PostToolUse" && !failed) || !hook.tool_name) return undefined;
  const call: ToolCall = {
    tool_name: hook.tool_name,
    tool_input: hook.tool_input ?? {},
    success: !failed,
    duration_ms: hook.duration_ms ?? null,
    tool_use_id: hook.tool_use_id ?? null,
  };
  if (!failed) return call;
  const { error, is_interrupt } = hook as { error?: unknown; is_interrupt?: unknown };
  return {
    ...call,
    error: typeof error === "string" ? error : null,
    is_interrupt: typeof is_interrupt === "boolean" ? is_interrupt : null,
  };
}

/**
 * Why a turn ended on an API error, from a `StopFailure` payload: its `error` type, with `error_details` or
 * else `last_assistant_message` (the error text Claude Code showed) after it; undefined for other events.
 */
export function stopFailureOf(hook: ClaudeCodeHook): string | undefined {
  if (hook.hook_event_name !== "StopFailure") return undefined;
  const { error, error_details, last_assistant_message } = hook as Record<string, unknown>;
  const type = typeof error === "string" && error !== "" ? error : "unknown";
  const detail = [error_details, last_assistant_message].find(
    (text): text is string => typeof text === "string" && text !== "",
  );
  return `API error (${type})${detail === undefined ? "" : `: ${detail}`}`;
}

/** The slash command a prompt starts with (`/review src` → `review`), the run's template; else undefined. */
export function slashCommandOf(prompt: string | null | undefined): string | undefined {
  const match = /^\s*\/([A-Za-z][\w:.-]*)/.exec(prompt ?? "");
  return match?.[1];
}
