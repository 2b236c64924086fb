import { keepHookEvent } from "@patternloop/db";
import { createPredictor } from "@patternloop/validator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { sessionEvents } from "../../test/support/hook-sessions.js";
import { startHookWorker } from "../hook-worker.js";

const HOOK = "/v1/hooks/claude-code";

for (const engine of ENGINES) {
  describe(`a hook payload the store fails (${engine})`, () => {
    const api = useApi(engine);
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("that cannot be kept is answered 500 with the reason and logged, never 2xx, and can be sent again", async () => {
      const { app, db } = await api();
      const [prompt] = sessionEvents("95c9e0c1");
      // A real failure of the store: the table the receiver keeps payloads in is not there.
      await db.schema.alterTable("hook_inbox").renameTo("hook_inbox_away").execute();
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});

      const failed = await post(app, HOOK, prompt);
      expect(failed.status).toBe(500);
      expect(failed.body.error.code).toBe("hook_not_stored");
      expect(failed.body.error.message).toMatch(/^the hook payload was not stored: .*hook_inbox/);
      // One line, whatever the error holds.
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(/^\[api\] hook not stored: [^\n]*hook_inbox/),
      );

      // Nothing of it was kept, so the same delivery once the store is back is kept, not a duplicate.
      await db.schema.alterTable("hook_inbox_away").renameTo("hook_inbox").execute();
      const again = await post(app, HOOK, prompt);
      expect([again.status, again.hook]).toEqual([200, "kept"]);
      expect(await db.selectFrom("workflow_history").select("nl_input").execute()).toEqual([
        { nl_input: prompt?.prompt },
      ]);
    });

    it("that was kept and whose application fails is not lost: it is applied once the store works again", async () => {
      const { app, db, hooks } = await api();
      const [prompt, , , toolUse] = sessionEvents("95c9e0c1");
      expect(toolUse?.hook_event_name).toBe("PostToolUse");
      expect((await post(app, HOOK, prompt)).status).toBe(200);
      // The tool-call table is not where the receiver writes when it applies the event, after the answer.
      await db.schema.alterTable("workflow_tool_calls").renameTo("workflow_tool_calls_away").execute();
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});

      const answer = await post(app, HOOK, toolUse);
      expect([answer.status, answer.hook]).toEqual([200, "kept"]);
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(/^\[api\] hook events not applied yet: [^\n]*workflow_tool_calls/),
      );

      await db.schema.alterTable("workflow_tool_calls_away").renameTo("workflow_tool_calls").execute();
      hooks.wake();
      await hooks.settled();
      const calls = await db.selectFrom("workflow_tool_calls").select(["tool_name"]).execute();
      expect(calls).toEqual([{ tool_name: toolUse?.tool_name }]);
    });

    it("that fails every time is set aside after three attempts, logged, and tried again at the next start", async () => {
      const { app, db, handle, hooks } = await api();
      const [prompt, , , toolUse] = sessionEvents("95c9e0c1");
      expect((await post(app, HOOK, prompt)).status).toBe(200);
      // A kept event this version cannot apply (its payload is not JSON), ahead of the session's next one.
      await keepHookEvent(db, {
        event_id: "poison",
        session_id: String(prompt?.session_id),
        payload_digest: "poison",
        delivery_key: null,
        payload: "{not json",
        received_at: new Date().toISOString(),
      });
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      expect((await post(app, HOOK, toolUse)).status).toBe(200);
      // Each round stops at the failure; the poll (or a new event) starts the next.
      for (let round = 0; round < 2; round++) {
        hooks.wake();
        await hooks.settled();
      }
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(/^\[api\] hook event poison of session \S+ set aside after 3 failed attempts/),
      );
      expect(await db.selectFrom("workflow_tool_calls").select(["tool_name"]).execute()).toEqual([
        { tool_name: toolUse?.tool_name },
      ]);

      // A receiver that starts gives it another chance (and, failing again, sets it aside again).
      await hooks.stop();
      const restarted = startHookWorker(handle, { predictor: createPredictor(), log: () => {} });
      await restarted.settled();
      await restarted.stop();
      const row = await db
        .selectFrom("hook_inbox")
        .select(["attempts", "set_aside_at"])
        .where("event_id", "=", "poison")
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ attempts: 1, set_aside_at: null });
    });
  });
}
