import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { closeSessionRuns } from "./close-idle-sessions.js";
import { receiveClaudeCodeHook } from "./receive-hook.js";

/** Payloads shaped as Claude Code's hooks reference documents them. */
const session = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
const base = {
  session_id: session,
  transcript_path: `/home/user/.claude/projects/-repo/${session}.jsonl`,
  cwd: "/repo",
};
const prompt = {
  ...base,
  permission_mode: "default",
  hook_event_name: "UserPromptSubmit",
  prompt: "Run the tests and fix what fails",
};
const toolCall = {
  ...base,
  permission_mode: "default",
  hook_event_name: "PostToolUse",
  tool_name: "Bash",
  tool_input: { command: "npm test", description: "Run test suite" },
  tool_response: { stdout: "ok", stderr: "", interrupted: false, isImage: false },
  tool_use_id: "toolu_01OK",
};
const toolFailure = {
  ...base,
  permission_mode: "default",
  hook_event_name: "PostToolUseFailure",
  tool_name: "Bash",
  tool_input: { command: "npm run build", description: "Build" },
  tool_use_id: "toolu_01FAIL",
  error: "Command exited with non-zero status code 1",
  is_interrupt: false,
};
const interrupted = {
  ...toolFailure,
  tool_input: { command: "npm run e2e", description: "End-to-end tests" },
  tool_use_id: "toolu_01INT",
  error: "The user doesn't want to proceed with this tool use.",
  is_interrupt: true,
};
const stop = {
  ...base,
  permission_mode: "default",
  hook_event_name: "Stop",
  stop_hook_active: false,
  last_assistant_message: "The tests pass.",
};
const stopFailure = {
  ...base,
  hook_event_name: "StopFailure",
  error: "rate_limit",
  error_details: "429 Too Many Requests",
  last_assistant_message: "API Error: Rate limit reached",
};
const sessionEnd = { ...base, hook_event_name: "SessionEnd", reason: "prompt_input_exit" };

for (const engine of ENGINES) {
  describe(`each Claude Code hook event the receiver uses (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const options = { predictor: createPredictor(), log: () => {} };

    async function runOf(db: ReturnType<typeof fresh>["db"], workflowId: string | undefined) {
      return db
        .selectFrom("workflow_history")
        .select(["workflow_id", "status", "error_message", "nl_input"])
        .where("workflow_id", "=", workflowId ?? "")
        .executeTakeFirstOrThrow();
    }

    it("UserPromptSubmit starts a running run for the prompt", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      expect(started.action).toBe("started");
      expect(await runOf(db, started.workflow_id)).toMatchObject({
        status: "running",
        nl_input: prompt.prompt,
      });
    });

    it("PostToolUse adds a successful tool call to the session's run", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      expect(await receiveClaudeCodeHook(handle, toolCall, options)).toEqual({
        action: "tool_call",
        workflow_id: started.workflow_id,
      });
      expect(
        await db
          .selectFrom("workflow_tool_calls")
          .select(["workflow_id", "command", "success", "error", "is_interrupt"])
          .execute(),
      ).toEqual([
        {
          workflow_id: started.workflow_id,
          command: "npm test",
          success: 1,
          error: null,
          is_interrupt: null,
        },
      ]);
    });

    it("PostToolUseFailure keeps the call's error and whether the user interrupted it", async () => {
      const { handle, db } = fresh();
      await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, toolFailure, options);
      await receiveClaudeCodeHook(handle, interrupted, options);
      expect(
        await db
          .selectFrom("workflow_tool_calls")
          .select(["tool_use_id", "success", "error", "is_interrupt"])
          .orderBy("seq")
          .execute(),
      ).toEqual([
        {
          tool_use_id: "toolu_01FAIL",
          success: 0,
          error: "Command exited with non-zero status code 1",
          is_interrupt: 0,
        },
        {
          tool_use_id: "toolu_01INT",
          success: 0,
          error: "The user doesn't want to proceed with this tool use.",
          is_interrupt: 1,
        },
      ]);
    });

    it("a turn the user interrupted ends failed at the next prompt, not completed", async () => {
      const { handle, db } = fresh();
      const first = await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, toolFailure, options);
      await receiveClaudeCodeHook(handle, interrupted, options);
      // Claude Code sends no Stop for an interrupted turn: the next prompt ends it.
      const second = await receiveClaudeCodeHook(
        handle,
        { ...prompt, prompt: "only the unit tests" },
        options,
      );
      expect(await runOf(db, first.workflow_id)).toMatchObject({
        status: "failed",
        error_message: "interrupted by the user: The user doesn't want to proceed with this tool use.",
      });
      // A tool call that failed on its own does not make the turn failed.
      await receiveClaudeCodeHook(handle, { ...toolFailure, tool_use_id: "toolu_02FAIL" }, options);
      await receiveClaudeCodeHook(handle, stop, options);
      expect(await runOf(db, second.workflow_id)).toMatchObject({ status: "completed", error_message: null });
    });

    it("a session that goes quiet after an interrupted turn has its run closed as failed", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, interrupted, options);
      const { closed } = await closeSessionRuns(handle, [session], options);
      expect(closed).toMatchObject([{ workflow_id: started.workflow_id, recorded: true }]);
      expect(await runOf(db, started.workflow_id)).toMatchObject({ status: "failed" });
    });

    it("Stop completes the session's run", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, toolCall, options);
      expect(await receiveClaudeCodeHook(handle, stop, options)).toEqual({
        action: "completed",
        workflow_id: started.workflow_id,
      });
      expect(await runOf(db, started.workflow_id)).toMatchObject({
        status: "completed",
        error_message: null,
      });
    });

    it("StopFailure ends the session's run as failed with the API error, and the next prompt leaves it so", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, toolCall, options);
      expect(await receiveClaudeCodeHook(handle, stopFailure, options)).toEqual({
        action: "completed",
        workflow_id: started.workflow_id,
      });
      const failed = {
        status: "failed",
        error_message: "API error (rate_limit): 429 Too Many Requests",
      };
      expect(await runOf(db, started.workflow_id)).toMatchObject(failed);
      const next = await receiveClaudeCodeHook(handle, { ...prompt, prompt: "try again" }, options);
      expect(next.action).toBe("started");
      expect(await runOf(db, started.workflow_id)).toMatchObject(failed);
    });

    it("SessionEnd completes the session's run", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      expect(await receiveClaudeCodeHook(handle, sessionEnd, options)).toEqual({
        action: "completed",
        workflow_id: started.workflow_id,
      });
      expect(await runOf(db, started.workflow_id)).toMatchObject({ status: "completed" });
    });
  });
}
