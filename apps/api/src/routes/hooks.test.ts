import { checkIntegrity } from "@patternloop/db";
import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../../test/support/db-snapshot.js";
import { HOOK_EVENTS, HOOK_LINES, type HookEvent, sessionEvents } from "../../test/support/hook-sessions.js";

const HOOK = "/v1/hooks/claude-code";

/** Delivers raw payload lines one after the other, as Claude Code does; returns each answer. */
async function deliver(app: Hono, lines: readonly string[]) {
  const answers = [];
  for (const line of lines) answers.push(await post(app, HOOK, line));
  return answers;
}

const count = (events: readonly HookEvent[], name: string) =>
  events.filter((event) => event.hook_event_name === name).length;

for (const engine of ENGINES) {
  describe(`POST /v1/hooks/claude-code with real sessions (${engine})`, () => {
    const api = useApi(engine);

    it("answers every real payload 2xx and maps each prompt to a completed run with its tool calls", async () => {
      const { app, db } = await api();
      const answers = await deliver(app, HOOK_LINES);
      for (const answer of answers) expect(answer.status).toBe(200);

      const runs = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "nl_input", "status"])
        .orderBy("id")
        .execute();
      const prompts = HOOK_EVENTS.filter((event) => event.hook_event_name === "UserPromptSubmit");
      expect(runs.map((run) => run.nl_input)).toEqual(prompts.map((event) => event.prompt));
      // Every session ends with Stop, and each new prompt completes the session's previous run.
      expect(runs.map((run) => run.status)).toEqual(prompts.map(() => "completed"));
      const calls = await db.selectFrom("workflow_tool_calls").select(["tool_name", "command"]).execute();
      expect(calls).toHaveLength(
        count(HOOK_EVENTS, "PostToolUse") + count(HOOK_EVENTS, "PostToolUseFailure"),
      );
      expect(calls.map((call) => call.command)).toContain("git diff --stat");
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });

    it("answers what each event did: started, tool_call, completed, ignored", async () => {
      const { app } = await api();
      const events = sessionEvents("8af8835b");
      const answers = await deliver(
        app,
        events.map((event) => JSON.stringify(event)),
      );
      const actions = answers.map((answer) => answer.body.action);
      expect(actions).toEqual(
        events.map((event) =>
          event.hook_event_name === "UserPromptSubmit"
            ? "started"
            : event.hook_event_name === "PostToolUse"
              ? "tool_call"
              : event.hook_event_name === "Stop"
                ? "completed"
                : "ignored",
        ),
      );
      const started = answers.filter((answer) => answer.body.action === "started");
      expect(started).toHaveLength(2);
      // The session's second prompt completes its first run; Stop completes the second.
      expect(answers.at(-1)?.body.workflow_id).toBe(started[1]?.body.workflow_id);
    });

    it("records the patterns the session's run executed (git diff --stat is git:diff:summary)", async () => {
      const { app, db } = await api();
      const answers = await deliver(
        app,
        sessionEvents("8af8835b").map((event) => JSON.stringify(event)),
      );
      const firstRun = answers[0]?.body.workflow_id as string;
      const patterns = await db
        .selectFrom("pattern_occurrences as po")
        .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
        .select("op.pattern_signature")
        .where("po.workflow_id", "=", firstRun)
        .execute();
      expect(patterns.map((row) => row.pattern_signature)).toContain("git:diff:summary");
    });

    it("changes nothing when every payload is delivered a second time", async () => {
      const { app, db } = await api();
      await deliver(app, HOOK_LINES);
      const before = await snapshotDatabase(db);
      const again = await deliver(app, HOOK_LINES);
      for (const answer of again) expect(answer.status).toBe(200);
      await expectUnchanged(db, before);
    });

    it("records a PostToolUseFailure as a failed tool call", async () => {
      const { app, db } = await api();
      const [prompt, , read] = sessionEvents("dca7b9e4");
      await post(app, HOOK, prompt);
      const answer = await post(app, HOOK, { ...read, hook_event_name: "PostToolUseFailure" });
      expect(answer.status).toBe(200);
      expect(answer.body.action).toBe("tool_call");
      const call = await db
        .selectFrom("workflow_tool_calls")
        .select(["tool_name", "success"])
        .executeTakeFirst();
      expect(call).toEqual({ tool_name: "Read", success: 0 });
    });

    it("completes the session's open run on SessionEnd", async () => {
      const { app, db } = await api();
      const [prompt] = sessionEvents("95c9e0c1");
      const started = await post(app, HOOK, prompt);
      const ended = await post(app, HOOK, {
        session_id: prompt?.session_id,
        transcript_path: prompt?.transcript_path,
        cwd: prompt?.cwd,
        hook_event_name: "SessionEnd",
        reason: "exit",
      });
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ action: "completed", workflow_id: started.body.workflow_id });
      const run = await db.selectFrom("workflow_history").select("status").executeTakeFirstOrThrow();
      expect(run.status).toBe("completed");
    });

    it("keeps a tool call whose output holds NULs (find -print0), since nothing of the output is stored", async () => {
      const { app, db } = await api();
      await post(app, HOOK, {
        session_id: "s-nul",
        hook_event_name: "UserPromptSubmit",
        prompt: "list files",
      });
      const answer = await post(app, HOOK, {
        session_id: "s-nul",
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: "find . -print0" },
        tool_response: { stdout: "./a\u0000./b\u0000", stderr: "\ud800" },
        tool_use_id: "toolu_nul",
      });
      expect(answer.status).toBe(200);
      expect(answer.body.action).toBe("tool_call");
      const call = await db.selectFrom("workflow_tool_calls").select(["command"]).executeTakeFirstOrThrow();
      expect(call.command).toBe("find . -print0");
    });
  });
}
