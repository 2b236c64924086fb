import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { receiveClaudeCodeHook } from "./receive-hook.js";

const session = "0b4f3c2e-5a7d-4e0a-9c1b-2f6d8e9a1b3c";
const base = {
  session_id: session,
  transcript_path: `/home/user/.claude/projects/-repo/${session}.jsonl`,
  cwd: "/repo",
  permission_mode: "default",
};
const prompt = {
  ...base,
  hook_event_name: "UserPromptSubmit",
  prompt: "Run pytest on the server and fix what fails",
};
const pre = {
  ...base,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "cd app/server && uv run pytest -q", description: "Run tests" },
  tool_use_id: "toolu_01A",
};
const post = {
  ...pre,
  hook_event_name: "PostToolUse",
  tool_response: { stdout: "3 passed", stderr: "", interrupted: false, isImage: false },
};
const failed = {
  ...base,
  hook_event_name: "PostToolUseFailure",
  tool_name: "Bash",
  tool_input: { command: "git diff --stat" },
  tool_use_id: "toolu_01B",
  error: "exit 128",
};
const stop = { ...base, hook_event_name: "Stop", stop_hook_active: false };

for (const engine of ENGINES) {
  describe(`Claude Code hooks (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const options = { predictor: createPredictor(), log: () => {} };

    it("a tool call of a session without a prompt opens a run in the session's working directory", async () => {
      const { handle, db } = fresh();
      const outcome = await receiveClaudeCodeHook(handle, { ...post, cwd: "/srv/shop" }, options);
      expect(outcome).toMatchObject({ action: "tool_call", opened_run: true });
      const run = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "project"])
        .executeTakeFirstOrThrow();
      expect(run).toEqual({ workflow_id: outcome.workflow_id, project: "/srv/shop" });
    });

    it("maps a session's prompt, tool calls and stop onto one completed run with predictions", async () => {
      const { handle, db } = fresh();
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      expect(started.action).toBe("started");
      expect(await receiveClaudeCodeHook(handle, pre, options)).toMatchObject({ action: "ignored" });
      expect(await receiveClaudeCodeHook(handle, post, options)).toEqual({
        action: "tool_call",
        workflow_id: started.workflow_id,
      });
      expect(await receiveClaudeCodeHook(handle, failed, options)).toMatchObject({ action: "tool_call" });
      expect(await receiveClaudeCodeHook(handle, stop, options)).toEqual({
        action: "completed",
        workflow_id: started.workflow_id,
      });

      const run = await db.selectFrom("workflow_history").selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({
        workflow_id: started.workflow_id,
        status: "completed",
        nl_input: prompt.prompt,
        // The session's working directory is the project the run came from.
        project: "/repo",
      });
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .select(["tool_name", "command", "success", "tool_use_id"])
        .orderBy("seq")
        .execute();
      expect(calls).toEqual([
        {
          tool_name: "Bash",
          command: "cd app/server && uv run pytest -q",
          success: 1,
          tool_use_id: "toolu_01A",
        },
        { tool_name: "Bash", command: "git diff --stat", success: 0, tool_use_id: "toolu_01B" },
      ]);
      const predictions = await db
        .selectFrom("pattern_predictions")
        .select(["pattern_signature", "was_correct"])
        .execute();
      expect(predictions).toEqual([{ pattern_signature: "test:pytest:backend", was_correct: 1 }]);
      const patterns = await db
        .selectFrom("operation_patterns")
        .select(["pattern_signature", "occurrence_count"])
        .orderBy("pattern_signature")
        .execute();
      expect(patterns).toEqual([
        { pattern_signature: "git:diff:summary", occurrence_count: 1 },
        { pattern_signature: "test:pytest:backend", occurrence_count: 1 },
      ]);
    });

    it("answers a second log of the same tool call as a duplicate, keeping the fuller input", async () => {
      const { handle, db } = fresh();
      await receiveClaudeCodeHook(handle, prompt, options);
      const abbreviated = {
        ...base,
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_use_id: "toolu_01A",
        tool_response: {},
      };
      expect(await receiveClaudeCodeHook(handle, abbreviated, options)).toMatchObject({
        action: "tool_call",
      });
      expect(await receiveClaudeCodeHook(handle, post, options)).toMatchObject({ action: "tool_call" });
      expect(await receiveClaudeCodeHook(handle, { ...post, duration_ms: 5 }, options)).toMatchObject({
        action: "duplicate",
      });
      expect(await db.selectFrom("workflow_tool_calls").select(["command", "tool_use_id"]).execute()).toEqual(
        [{ command: "cd app/server && uv run pytest -q", tool_use_id: "toolu_01A" }],
      );
      expect(await receiveClaudeCodeHook(handle, { ...stop, transcript_path: null }, options)).toMatchObject({
        action: "completed",
      });
    });

    it("counts a repeated delivery once", async () => {
      const { handle, db } = fresh();
      for (const payload of [prompt, prompt, post, post, stop, stop])
        await receiveClaudeCodeHook(handle, payload, options);
      expect(await receiveClaudeCodeHook(handle, post, options)).toEqual({ action: "duplicate" });
      expect((await db.selectFrom("workflow_history").selectAll().execute()).length).toBe(1);
      expect((await db.selectFrom("workflow_tool_calls").selectAll().execute()).length).toBe(1);
      expect(
        (await db.selectFrom("operation_patterns").select("occurrence_count").execute()).map(
          (row) => row.occurrence_count,
        ),
      ).toEqual([1]);
    });

    it("completes the previous run when the next prompt arrives, and opens a run for tool calls without a prompt", async () => {
      const { handle, db } = fresh();
      const orphan = await receiveClaudeCodeHook(handle, post, options);
      expect(orphan.action).toBe("tool_call");
      const next = await receiveClaudeCodeHook(handle, { ...prompt, prompt: "/review src" }, options);
      const runs = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "status", "workflow_template"])
        .orderBy("id")
        .execute();
      expect(runs).toEqual([
        { workflow_id: orphan.workflow_id, status: "completed", workflow_template: null },
        { workflow_id: next.workflow_id, status: "running", workflow_template: "review" },
      ]);
      expect(
        await receiveClaudeCodeHook(
          handle,
          { ...base, hook_event_name: "SessionEnd", reason: "exit" },
          options,
        ),
      ).toMatchObject({ action: "completed" });
      expect(await receiveClaudeCodeHook(handle, { ...stop, stop_hook_active: true }, options)).toMatchObject(
        { action: "ignored", reason: "no open run in this session" },
      );
    });

    it("does not let a repeated Stop that found no open run close a run opened since", async () => {
      const { handle, db } = fresh();
      const lateStop = { ...stop, stop_hook_active: true };
      expect(await receiveClaudeCodeHook(handle, lateStop, options)).toMatchObject({ action: "ignored" });
      await receiveClaudeCodeHook(handle, post, options);
      expect(await receiveClaudeCodeHook(handle, lateStop, options)).toEqual({ action: "duplicate" });
      expect(
        (await db.selectFrom("workflow_history").select("status").executeTakeFirstOrThrow()).status,
      ).toBe("running");
    });

    it("accepts and ignores unknown events and payloads it cannot use", async () => {
      const { handle, db } = fresh();
      expect(
        await receiveClaudeCodeHook(
          handle,
          { ...base, hook_event_name: "Notification", message: "hi" },
          options,
        ),
      ).toMatchObject({ action: "ignored" });
      expect(
        await receiveClaudeCodeHook(handle, { ...base, hook_event_name: "SomethingNew" }, options),
      ).toMatchObject({ action: "ignored" });
      expect(await receiveClaudeCodeHook(handle, { hook_event_name: "Stop" }, options)).toEqual({
        action: "ignored",
        reason: "no session_id",
      });
      expect(await receiveClaudeCodeHook(handle, { session_id: session }, options)).toMatchObject({
        action: "ignored",
      });
      expect(await receiveClaudeCodeHook(handle, [1, 2], options)).toMatchObject({ action: "ignored" });
      expect(await db.selectFrom("workflow_history").selectAll().execute()).toEqual([]);
    });
  });
}
