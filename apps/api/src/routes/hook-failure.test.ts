import { afterEach, describe, expect, it, vi } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { sessionEvents } from "../../test/support/hook-sessions.js";

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
  });
}
