import { createDatabase } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { closeIdleSessions, closeSessionRuns } from "./close-idle-sessions.js";
import { receiveClaudeCodeHook } from "./receive-hook.js";

const session = "5d0c9a51-2f4e-4b7a-8e3d-6a1b2c3d4e5f";
const base = { session_id: session, cwd: "/repo", permission_mode: "default" };
const prompt = { ...base, hook_event_name: "UserPromptSubmit", prompt: "Run pytest on the server" };
const pre = {
  ...base,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "cd app/server && uv run pytest -q" },
  tool_use_id: "toolu_01A",
};
const post = { ...pre, hook_event_name: "PostToolUse", tool_response: { stdout: "3 passed" } };
const later = { ...post, tool_input: { command: "git diff --stat" }, tool_use_id: "toolu_01B" };

/** A time `ms` milliseconds from now. */
const inMs = (ms: number) => new Date(Date.now() + ms);

for (const engine of ENGINES) {
  describe(`closing the runs of quiet Claude Code sessions (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("completes a quiet session's run like any run, then a later event opens a new run", async () => {
      const { handle, db } = fresh();
      const logs: string[] = [];
      const options = { predictor: createPredictor(), log: (line: string) => logs.push(line) };
      const started = await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, post, options);
      const lastEvent = (
        await db.selectFrom("claude_code_sessions").select("updated_at").executeTakeFirstOrThrow()
      ).updated_at;

      // Not quiet for long enough yet.
      expect(await closeIdleSessions(handle, new Date(lastEvent), options)).toEqual({
        closed: [],
        failed: [],
      });
      expect(await closeIdleSessions(handle, inMs(60_000), options)).toEqual({
        closed: [
          { session_id: session, workflow_id: started.workflow_id, last_event_at: lastEvent, recorded: true },
        ],
        failed: [],
      });
      const run = await db
        .selectFrom("workflow_history")
        .select(["status", "end_time", "error_message", "patterns_processed_at"])
        .executeTakeFirstOrThrow();
      expect(run).toMatchObject({ status: "completed", end_time: lastEvent, error_message: null });
      expect(run.patterns_processed_at).not.toBeNull();
      expect(
        await db.selectFrom("pattern_predictions").select(["pattern_signature", "was_correct"]).execute(),
      ).toEqual([{ pattern_signature: "test:pytest:backend", was_correct: 1 }]);
      expect(await db.selectFrom("pattern_occurrences").select("workflow_id").execute()).toEqual([
        { workflow_id: started.workflow_id },
      ]);
      expect(logs).toContain(
        `[validator] workflow ${started.workflow_id}: closed as completed, session ${session} quiet since ${lastEvent}`,
      );
      // Closing again finds nothing to close.
      expect(await closeIdleSessions(handle, inMs(60_000), options)).toEqual({ closed: [], failed: [] });

      const next = await receiveClaudeCodeHook(handle, later, options);
      expect(next.action).toBe("tool_call");
      expect(next.workflow_id).not.toBe(started.workflow_id);
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .select(["workflow_id", "tool_use_id"])
        .orderBy("tool_use_id")
        .execute();
      expect(calls).toEqual([
        { workflow_id: started.workflow_id, tool_use_id: "toolu_01A" },
        { workflow_id: next.workflow_id, tool_use_id: "toolu_01B" },
      ]);
    });

    it("counts every event of the session as activity, a PreToolUse too", async () => {
      const { handle, db } = fresh();
      const options = { predictor: createPredictor(), log: () => {} };
      await receiveClaudeCodeHook(handle, prompt, options);
      const opened = (
        await db.selectFrom("claude_code_sessions").select("updated_at").executeTakeFirstOrThrow()
      ).updated_at;
      // A later instant than the prompt's, so that the PreToolUse's time is distinct from it.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const between = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await receiveClaudeCodeHook(handle, pre, options)).toMatchObject({ action: "ignored" });
      const touched = (
        await db.selectFrom("claude_code_sessions").select("updated_at").executeTakeFirstOrThrow()
      ).updated_at;
      expect(touched > opened).toBe(true);
      expect((await closeIdleSessions(handle, between, options)).closed).toEqual([]);
      expect((await closeIdleSessions(handle, inMs(1), options)).closed).toHaveLength(1);
    });

    it("closes only the sessions named, when asked by session", async () => {
      const { handle, db } = fresh();
      const options = { predictor: createPredictor(), log: () => {} };
      await receiveClaudeCodeHook(handle, prompt, options);
      await receiveClaudeCodeHook(handle, { ...prompt, session_id: "other" }, options);
      const closed = await closeSessionRuns(handle, [session, "unknown"], options);
      expect(closed.closed.map((closure) => closure.session_id)).toEqual([session]);
      expect(await db.selectFrom("workflow_history").select(["status"]).orderBy("status").execute()).toEqual([
        { status: "completed" },
        { status: "running" },
      ]);
    });

    // Two SQLite handles in one thread would wait on each other's lock (better-sqlite3 blocks the thread):
    // replicas share a PostgreSQL server; on SQLite the second closes after the first.
    it("two replicas closing the same sessions record each run once", async () => {
      const { handle, db, url } = fresh();
      const options = { predictor: createPredictor(), log: () => {} };
      for (const id of ["s1", "s2", "s3"]) {
        await receiveClaudeCodeHook(handle, { ...prompt, session_id: id }, options);
        await receiveClaudeCodeHook(handle, { ...post, session_id: id }, options);
      }
      const replica = await createDatabase(url);
      try {
        const close = (database: typeof handle) => closeIdleSessions(database, inMs(60_000), options);
        const [a, b] =
          engine === "postgres"
            ? await Promise.all([close(handle), close(replica)])
            : [await close(handle), await close(replica)];
        expect([...a.closed, ...b.closed].filter((closure) => closure.recorded)).toHaveLength(3);
        expect([...a.failed, ...b.failed]).toEqual([]);
      } finally {
        await replica.close();
      }
      expect(
        await db.selectFrom("workflow_history").select("status").where("status", "=", "running").execute(),
      ).toEqual([]);
      expect(
        await db.selectFrom("operation_patterns").select(["pattern_signature", "occurrence_count"]).execute(),
      ).toEqual([{ pattern_signature: "test:pytest:backend", occurrence_count: 3 }]);
      expect(await db.selectFrom("pattern_occurrences").selectAll().execute()).toHaveLength(3);
      expect(
        await db
          .selectFrom("claude_code_sessions")
          .select("open_workflow_id")
          .where("open_workflow_id", "is not", null)
          .execute(),
      ).toEqual([]);
    });
  });
}
