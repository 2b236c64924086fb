import { checkIntegrity } from "@patternloop/db";
import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ENGINES, JSON_WRITE, post, useApi } from "../../test/support/api-harness.js";
import { expectUnchanged, snapshotDatabase } from "../../test/support/db-snapshot.js";
import { HOOK_EVENTS, HOOK_LINES, type HookEvent, sessionEvents } from "../../test/support/hook-sessions.js";

const HOOK = "/v1/hooks/claude-code";

/**
 * Delivers raw payload lines one after the other, as Claude Code does (or, `keyed`, as a replayed log is,
 * each line with its place as its delivery key); returns each answer.
 */
async function deliver(app: Hono, lines: readonly string[], keyed = false) {
  const answers = [];
  for (const [i, line] of lines.entries())
    answers.push(
      await post(
        app,
        HOOK,
        line,
        keyed ? { ...JSON_WRITE, "patternloop-delivery-key": `line:${i}` } : undefined,
      ),
    );
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

    it("answers each payload 200 with hook output that asks nothing, and applies it after the answer", async () => {
      const { app, db } = await api();
      const events = sessionEvents("8af8835b");
      const answers = await deliver(
        app,
        events.map((event) => JSON.stringify(event)),
      );
      for (const [i, answer] of answers.entries()) {
        expect(answer.status).toBe(200);
        // Claude Code reads a 2xx JSON body as hook output: nothing but what its schema knows, here nothing.
        expect(answer.body).toEqual({});
        // Events the receiver does not apply (PreToolUse, Notification) are not kept.
        const used = ["UserPromptSubmit", "PostToolUse", "Stop"].includes(events[i]?.hook_event_name ?? "");
        expect(answer.hook).toBe(used ? "kept" : "ignored");
      }
      const runs = await db
        .selectFrom("workflow_history")
        .select(["nl_input", "status"])
        .orderBy("id")
        .execute();
      // The session's second prompt completes its first run; Stop completes the second.
      expect(runs).toEqual(
        events
          .filter((event) => event.hook_event_name === "UserPromptSubmit")
          .map((event) => ({ nl_input: event.prompt, status: "completed" })),
      );
      expect(runs).toHaveLength(2);
    });

    it("records the patterns the session's run executed (git diff --stat is git:diff:summary)", async () => {
      const { app, db } = await api();
      await deliver(
        app,
        sessionEvents("8af8835b").map((event) => JSON.stringify(event)),
      );
      const { workflow_id: firstRun } = await db
        .selectFrom("workflow_history")
        .select("workflow_id")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const patterns = await db
        .selectFrom("pattern_occurrences as po")
        .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
        .select("op.pattern_signature")
        .where("po.workflow_id", "=", firstRun)
        .execute();
      expect(patterns.map((row) => row.pattern_signature)).toContain("git:diff:summary");
    });

    it("changes nothing when every payload is delivered a second time under its delivery key", async () => {
      const { app, db } = await api();
      await deliver(app, HOOK_LINES, true);
      const before = await snapshotDatabase(db);
      const again = await deliver(app, HOOK_LINES, true);
      for (const answer of again) {
        expect(answer.status).toBe(200);
        expect(["duplicate", "ignored"]).toContain(answer.hook);
      }
      await expectUnchanged(db, before);
    });

    it("takes a tool call sent again as the same event, a prompt sent again as a new one", async () => {
      const { app, db } = await api();
      const [prompt, , , logged] = sessionEvents("95c9e0c1");
      // As Claude Code sends it since it names tool calls (this session's version did not yet).
      const toolUse = { ...logged, tool_use_id: "toolu_01TodoWrite" };
      for (const payload of [prompt, toolUse]) expect((await post(app, HOOK, payload)).hook).toBe("kept");
      const before = await snapshotDatabase(db);
      // A payload naming its tool call (tool_use_id) is that call, whenever it comes.
      expect((await post(app, HOOK, toolUse)).hook).toBe("duplicate");
      await expectUnchanged(db, before);
      // Claude Code sends no key and does not send a hook twice: the same prompt again is a prompt typed again.
      expect((await post(app, HOOK, prompt)).hook).toBe("kept");
      const runs = await db
        .selectFrom("workflow_history")
        .select(["nl_input", "status"])
        .orderBy("id")
        .execute();
      expect(runs).toEqual([
        { nl_input: prompt?.prompt, status: "completed" },
        { nl_input: prompt?.prompt, status: "running" },
      ]);
    });

    it("records a PostToolUseFailure as a failed tool call with its error, and whether it was interrupted", async () => {
      const { app, db } = await api();
      const [prompt, , read] = sessionEvents("dca7b9e4");
      await post(app, HOOK, prompt);
      const { tool_response: _, ...failure } = { ...read, hook_event_name: "PostToolUseFailure" } as Record<
        string,
        unknown
      >;
      const answer = await post(app, HOOK, {
        ...failure,
        error: "File does not exist.",
        is_interrupt: false,
      });
      expect([answer.status, answer.hook]).toEqual([200, "kept"]);
      const call = await db
        .selectFrom("workflow_tool_calls")
        .select(["tool_name", "success", "error", "is_interrupt"])
        .executeTakeFirst();
      expect(call).toEqual({ tool_name: "Read", success: 0, error: "File does not exist.", is_interrupt: 0 });
    });

    it("completes the session's open run on SessionEnd", async () => {
      const { app, db } = await api();
      const [prompt] = sessionEvents("95c9e0c1");
      await post(app, HOOK, prompt);
      const ended = await post(app, HOOK, {
        session_id: prompt?.session_id,
        transcript_path: prompt?.transcript_path,
        cwd: prompt?.cwd,
        hook_event_name: "SessionEnd",
        reason: "exit",
      });
      expect(ended.status).toBe(200);
      const runs = await db.selectFrom("workflow_history").select(["nl_input", "status"]).execute();
      expect(runs).toEqual([{ nl_input: prompt?.prompt, status: "completed" }]);
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
      expect([answer.status, answer.hook]).toEqual([200, "kept"]);
      const call = await db.selectFrom("workflow_tool_calls").select(["command"]).executeTakeFirstOrThrow();
      expect(call.command).toBe("find . -print0");
    });
  });
}
