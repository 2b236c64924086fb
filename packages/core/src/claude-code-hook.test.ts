import { describe, expect, it } from "vitest";
import {
  claudeCodeHookSchema,
  MAX_HOOK_DEPTH,
  slashCommandOf,
  stopFailureOf,
  toolCallOfHook,
} from "./claude-code-hook.js";

const parse = (payload: unknown) => claudeCodeHookSchema.parse(payload);

describe("Claude Code hook payloads", () => {
  it("turns PostToolUse and PostToolUseFailure into tool calls", () => {
    const bash = {
      session_id: "s",
      tool_name: "Bash",
      tool_input: { command: "pytest -q" },
      tool_use_id: "toolu_1",
      duration_ms: 1200,
    };
    expect(
      toolCallOfHook(parse({ ...bash, hook_event_name: "PostToolUse", tool_response: { stdout: "ok" } })),
    ).toEqual({
      tool_name: "Bash",
      tool_input: { command: "pytest -q" },
      success: true,
      duration_ms: 1200,
      tool_use_id: "toolu_1",
    });
    // PostToolUse fires only for a call that succeeded; a failure comes as PostToolUseFailure, with its error.
    expect(
      toolCallOfHook(
        parse({
          ...bash,
          hook_event_name: "PostToolUseFailure",
          error: "Command exited with non-zero status code 1",
        }),
      ),
    ).toMatchObject({
      success: false,
      error: "Command exited with non-zero status code 1",
      is_interrupt: null,
    });
    expect(
      toolCallOfHook(
        parse({ ...bash, hook_event_name: "PostToolUseFailure", error: "Interrupted", is_interrupt: true }),
      ),
    ).toMatchObject({ success: false, error: "Interrupted", is_interrupt: true });
    expect(toolCallOfHook(parse({ ...bash, hook_event_name: "PreToolUse" }))).toBeUndefined();
  });

  it("keeps fields it does not know and refuses wrong types", () => {
    expect(
      parse({ hook_event_name: "Stop", session_id: "s", stop_hook_active: false }).stop_hook_active,
    ).toBe(false);
    expect(claudeCodeHookSchema.safeParse({ hook_event_name: 5 }).success).toBe(false);
    expect(claudeCodeHookSchema.safeParse({ session_id: "s" }).success).toBe(false);
  });

  it("refuses a payload nested deeper than it can digest, wherever the nesting is", () => {
    const nested = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    const hook = { hook_event_name: "PostToolUse", session_id: "s", tool_name: "Bash" };
    expect(claudeCodeHookSchema.safeParse({ ...hook, tool_input: nested(MAX_HOOK_DEPTH - 1) }).success).toBe(
      true,
    );
    const deep = claudeCodeHookSchema.safeParse({ ...hook, tool_response: nested(10_000) });
    expect(deep.error?.issues[0]?.message).toBe(`nested deeper than ${MAX_HOOK_DEPTH} levels`);
  });

  it("reads why a turn ended on an API error from StopFailure", () => {
    const failure = { hook_event_name: "StopFailure", session_id: "s", error: "rate_limit" };
    expect(
      stopFailureOf(
        parse({
          ...failure,
          error_details: "429 Too Many Requests",
          last_assistant_message: "API Error: Rate limit reached",
        }),
      ),
    ).toBe("API error (rate_limit): 429 Too Many Requests");
    expect(
      stopFailureOf(parse({ ...failure, last_assistant_message: "API Error: Rate limit reached" })),
    ).toBe("API error (rate_limit): API Error: Rate limit reached");
    expect(stopFailureOf(parse({ hook_event_name: "StopFailure", session_id: "s" }))).toBe(
      "API error (unknown)",
    );
    expect(stopFailureOf(parse({ hook_event_name: "Stop", session_id: "s" }))).toBeUndefined();
  });

  it("reads the slash command a prompt starts with", () => {
    expect(slashCommandOf("/review src/app.ts")).toBe("review");
    expect(slashCommandOf("  /project:test-all")).toBe("project:test-all");
    expect(slashCommandOf("fix /etc/hosts")).toBeUndefined();
    expect(slashCommandOf(undefined)).toBeUndefined();
  });

  it("refuses a payload with text it would keep and cannot, but not for the tool's output", () => {
    const refused = (payload: unknown) => claudeCodeHookSchema.safeParse(payload).error?.issues;
    expect(refused({ hook_event_name: "Stop", session_id: "s\u0000" })).toMatchObject([
      { path: ["session_id"], message: "contains a NUL character (\\u0000)" },
    ]);
    expect(
      refused({
        hook_event_name: "PostToolUse",
        session_id: "s",
        tool_name: "Bash",
        tool_input: { "\ud800": 1 },
      }),
    ).toMatchObject([{ path: ["tool_input.\\ud800"] }]);
    // `find -print0` prints NULs; patternloop keeps nothing of the output, so the tool call stays.
    expect(
      refused({
        hook_event_name: "PostToolUse",
        session_id: "s",
        tool_name: "Bash",
        tool_input: { command: "find . -print0" },
        tool_response: { stdout: "a\u0000b\u0000", stderr: "\ud800" },
      }),
    ).toBeUndefined();
  });
});
