import { keepHookEvent, listSetAsideHookEvents } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { acceptClaudeCodeHook } from "./accept-hook-event.js";
import { processHookEvents } from "./process-hook-events.js";

const SESSIONS = 6;
const CALLS = 5;
const sessionId = (s: number) => `a11ce000-0000-4000-8000-00000000000${s}`;

/** A session's events as Claude Code sends them: a prompt, tool calls, a Stop. */
function sessionEvents(s: number): Record<string, unknown>[] {
  const base = { session_id: sessionId(s), cwd: "/repo", transcript_path: `/t/${sessionId(s)}.jsonl` };
  return [
    { ...base, hook_event_name: "UserPromptSubmit", prompt: `check package ${s}` },
    ...Array.from({ length: CALLS }, (_, c) => ({
      ...base,
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: `echo ${s}.${c}` },
      tool_response: { stdout: `${s}.${c}` },
      tool_use_id: `toolu_${s}_${c}`,
    })),
    { ...base, hook_event_name: "Stop", stop_hook_active: false },
  ];
}

for (const engine of ENGINES) {
  describe(`applying kept hook events (${engine})`, { timeout: 60_000 }, () => {
    const fresh = useFreshDatabase(engine);

    it("four processors at once apply each event exactly once, each session's in the order it arrived", async () => {
      const { handle, db } = fresh();
      // Each session's events back to back: the processors, taking the oldest events first, would apply a
      // session's prompt and its tool calls side by side if its order did not hold them back.
      const kept: string[] = [];
      for (let s = 0; s < SESSIONS; s++)
        for (const event of sessionEvents(s)) {
          const accepted = await acceptClaudeCodeHook(handle, event);
          expect(accepted.accepted).toBe("kept");
          if (accepted.accepted === "kept") kept.push(accepted.event_id);
        }
      const arrival = await db.selectFrom("hook_inbox").select(["id", "session_id"]).orderBy("id").execute();

      const applied: { id: number; event_id: string; session_id: string; by: number }[] = [];
      const options = (by: number) => ({
        predictor: createPredictor(),
        log: () => {},
        onProcessed: (event: { id: number; event_id: string; session_id: string }) =>
          applied.push({ id: event.id, event_id: event.event_id, session_id: event.session_id, by }),
      });
      const counts = await Promise.all([0, 1, 2, 3].map((by) => processHookEvents(handle, options(by))));

      expect(counts.reduce((a, b) => a + b, 0)).toBe(kept.length);
      expect(applied.map((event) => event.event_id).sort()).toEqual([...kept].sort());
      for (let s = 0; s < SESSIONS; s++) {
        const own = (rows: { id: number; session_id: string }[]) =>
          rows.filter((row) => row.session_id === sessionId(s)).map((row) => row.id);
        expect(own(applied)).toEqual(own(arrival));
      }
      const runs = await db.selectFrom("workflow_history").select(["workflow_id", "status"]).execute();
      expect(runs.map((run) => run.status)).toEqual(Array(SESSIONS).fill("completed"));
      const calls = await db.selectFrom("workflow_tool_calls").select(["workflow_id", "seq"]).execute();
      expect(calls).toHaveLength(SESSIONS * CALLS);
      expect(
        await db.selectFrom("hook_inbox").select("id").where("processed_at", "is", null).execute(),
      ).toEqual([]);
    });

    it("takes again an event held by a processor that died, once its hold is over", async () => {
      const { handle, db } = fresh();
      const [prompt] = sessionEvents(0);
      await acceptClaudeCodeHook(handle, prompt);
      let clock = Date.parse("2026-12-06T09:00:00.000Z");
      const options = { predictor: createPredictor(), log: () => {}, now: () => clock, holdMs: 20_000 };
      // A processor takes the event and dies before applying it.
      await db.updateTable("hook_inbox").set({ claimed_until: "2026-12-06T09:00:20.000Z" }).execute();
      expect(await processHookEvents(handle, options)).toBe(0);
      clock += 20_001;
      expect(await processHookEvents(handle, options)).toBe(1);
      expect(await db.selectFrom("workflow_history").select("nl_input").execute()).toEqual([
        { nl_input: prompt?.prompt },
      ]);
    });

    it("sets aside an event that keeps failing, keeping it whole, and its session's later events go on", async () => {
      const { handle, db } = fresh();
      const [prompt, call, , , , , stop] = sessionEvents(0);
      await acceptClaudeCodeHook(handle, prompt);
      // A kept payload this version cannot apply (here, text that is not JSON): it fails every time.
      await keepHookEvent(db, {
        event_id: "poison",
        session_id: sessionId(0),
        payload_digest: "poison",
        delivery_key: null,
        payload: "{not json",
        received_at: "2026-12-06T09:00:00.000Z",
      });
      await acceptClaudeCodeHook(handle, call);
      await acceptClaudeCodeHook(handle, stop);
      const setAside: { event: string; attempts: number }[] = [];
      const options = {
        predictor: createPredictor(),
        log: () => {},
        maxAttempts: 3,
        onSetAside: (event: { event_id: string }, _: unknown, attempts: number) =>
          setAside.push({ event: event.event_id, attempts }),
      };

      // The first attempts fail as before, and hold the session back.
      for (let attempt = 1; attempt < 3; attempt++)
        await expect(processHookEvents(handle, options)).rejects.toThrow(SyntaxError);
      expect(await db.selectFrom("workflow_tool_calls").select("seq").execute()).toEqual([]);
      expect(await processHookEvents(handle, options)).toBe(2);

      expect(setAside).toEqual([{ event: "poison", attempts: 3 }]);
      const runs = await db.selectFrom("workflow_history").select("status").execute();
      expect(runs).toEqual([{ status: "completed" }]);
      expect(await db.selectFrom("workflow_tool_calls").select("seq").execute()).toHaveLength(1);
      const kept = await db
        .selectFrom("hook_inbox")
        .select(["payload", "attempts", "last_error", "set_aside_at", "processed_at"])
        .where("event_id", "=", "poison")
        .executeTakeFirstOrThrow();
      expect(kept).toMatchObject({ payload: "{not json", attempts: 3, set_aside_at: expect.any(String) });
      expect(kept.last_error).toMatch(/JSON/);
      expect(kept.processed_at).toBe(kept.set_aside_at);
      const listed = await listSetAsideHookEvents(db);
      expect(listed.total).toBe(1);
      expect(listed.events.map((event) => event.event_id)).toEqual(["poison"]);
    });
  });
}
