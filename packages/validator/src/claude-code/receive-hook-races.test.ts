import { setImmediate } from "node:timers/promises";
import { recordHookDelivery } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { arrivalOrderDigest } from "./hook-digest.js";
import { receiveClaudeCodeHook } from "./receive-hook.js";

const session = "7c2d0e41-8b3a-4f6e-a1d9-5e0c3b7f9a24";
const base = {
  session_id: session,
  transcript_path: `/home/user/.claude/projects/-repo/${session}.jsonl`,
  cwd: "/repo",
  permission_mode: "default",
};
const prompt = (text: string) => ({ ...base, hook_event_name: "UserPromptSubmit", prompt: text });
const toolUse = (n: number) => ({
  ...base,
  hook_event_name: "PostToolUse",
  tool_name: "Bash",
  tool_input: { command: `echo ${n}`, description: `step ${n}` },
  tool_response: { stdout: `${n}`, stderr: "", interrupted: false, isImage: false },
  tool_use_id: `toolu_${String(n).padStart(3, "0")}`,
});

/** The same object with its keys, at every level, in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reversedKeys(item)]),
  );
}

const CALLS = 12;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

for (const engine of ENGINES) {
  // A minute each: the races run hundreds of hooks at once, and the whole suite runs every package together
  // on two cores (one took 5.7 s there, against 1.1–1.4 s alone).
  describe(`Claude Code hooks delivered twice or at once (${engine})`, { timeout: 60_000 }, () => {
    const fresh = useFreshDatabase(engine);
    const options = { predictor: createPredictor(), log: () => {} };

    async function runsAndCalls() {
      const { db } = fresh();
      const runs = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "status", "nl_input"])
        .orderBy("id")
        .execute();
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .select(["workflow_id", "seq", "tool_use_id"])
        .orderBy("workflow_id")
        .orderBy("seq")
        .execute();
      return { runs, calls };
    }

    it("counts a delivery whose keys come in another order once", async () => {
      const { handle } = fresh();
      const first = prompt("Run the tests");
      const started = await receiveClaudeCodeHook(handle, first, options);
      expect(JSON.stringify(reversedKeys(first))).not.toBe(JSON.stringify(first));
      expect(await receiveClaudeCodeHook(handle, reversedKeys(first), options)).toEqual({
        action: "duplicate",
      });
      expect(await receiveClaudeCodeHook(handle, toolUse(1), options)).toMatchObject({ action: "tool_call" });
      expect(await receiveClaudeCodeHook(handle, reversedKeys(toolUse(1)), options)).toEqual({
        action: "duplicate",
      });
      const { runs, calls } = await runsAndCalls();
      expect(runs).toEqual([
        { workflow_id: started.workflow_id, status: "running", nl_input: "Run the tests" },
      ]);
      expect(calls).toHaveLength(1);
    });

    it("starts one run for a prompt and its reordered copy delivered at once", async () => {
      const { handle } = fresh();
      const first = prompt("Build the frontend");
      const answers = await Promise.all(
        [first, reversedKeys(first)].map((payload) => receiveClaudeCodeHook(handle, payload, options)),
      );
      const { runs } = await runsAndCalls();
      expect(runs).toHaveLength(1);
      for (const answer of answers)
        expect(answer.action === "duplicate" || answer.workflow_id === runs[0]?.workflow_id).toBe(true);
    });

    it("still knows a payload remembered by the digest of its bytes, as earlier versions kept it", async () => {
      const { handle, db } = fresh();
      const old = prompt("Fix the lint errors");
      await recordHookDelivery(db, {
        digest: arrivalOrderDigest(old),
        session_id: session,
        hook_event_name: "UserPromptSubmit",
      });
      expect(await receiveClaudeCodeHook(handle, old, options)).toEqual({ action: "duplicate" });
      expect((await runsAndCalls()).runs).toEqual([]);
    });

    it("opens one run for a session's tool calls arriving at once with no run open, and keeps them all", async () => {
      const { handle } = fresh();
      const answers = await Promise.all(
        range(CALLS).map((n) => receiveClaudeCodeHook(handle, toolUse(n), options)),
      );
      expect(answers.map((answer) => answer.action)).toEqual(range(CALLS).map(() => "tool_call"));
      const { runs, calls } = await runsAndCalls();
      expect(runs).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.workflow_id))).toEqual(new Set([runs[0]?.workflow_id]));
      expect(calls.map((call) => call.seq)).toEqual(range(CALLS));
      expect(calls.map((call) => call.tool_use_id).sort()).toEqual(
        range(CALLS).map((n) => toolUse(n).tool_use_id),
      );
    });

    it("loses no tool call and opens no third run when tool calls race the session's next prompt", async () => {
      const { handle, db } = fresh();
      const first = await receiveClaudeCodeHook(handle, prompt("Run the tests"), options);
      await receiveClaudeCodeHook(handle, toolUse(0), options);
      // The next prompt, and a tool call at every turn of the event loop for as long as it is being handled.
      let handled = false;
      const started = receiveClaudeCodeHook(handle, prompt("Now the linter"), options).finally(() => {
        handled = true;
      });
      const racing = [];
      while (!handled && racing.length < 200) {
        await setImmediate();
        racing.push(receiveClaudeCodeHook(handle, toolUse(racing.length + 1), options));
      }
      const next = await started;
      const toolCalls = await Promise.all(racing);
      expect(next.action).toBe("started");
      expect(toolCalls.map((answer) => answer.action)).toEqual(racing.map(() => "tool_call"));
      const { runs, calls } = await runsAndCalls();
      expect(runs.map((run) => run.workflow_id)).toEqual([first.workflow_id, next.workflow_id]);
      expect(runs.map((run) => run.status)).toEqual(["completed", "running"]);
      // Each call is stored once, in the run the session had open when its turn came, positions in order.
      expect(calls.map((call) => call.tool_use_id).sort()).toEqual(
        range(racing.length + 1).map((n) => toolUse(n).tool_use_id),
      );
      for (const run of runs) {
        const own = calls.filter((call) => call.workflow_id === run.workflow_id);
        expect(own.map((call) => call.seq)).toEqual(range(own.length));
      }
      const pointer = await db
        .selectFrom("claude_code_sessions")
        .select(["open_workflow_id", "prompts"])
        .executeTakeFirstOrThrow();
      expect(pointer).toEqual({ open_workflow_id: next.workflow_id, prompts: 2 });
    });
  });
}
