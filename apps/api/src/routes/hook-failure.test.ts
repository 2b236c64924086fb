import { afterEach, describe, expect, it, vi } from "vitest";
import { ENGINES, post, useApi } from "../../test/support/api-harness.js";
import { sessionEvents } from "../../test/support/hook-sessions.js";

const HOOK = "/v1/hooks/claude-code";

for (const engine of ENGINES) {
  describe(`a hook payload that cannot be stored (${engine})`, () => {
    const api = useApi(engine);
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("is answered 500 with the reason and logged, never 2xx, and can be delivered again", async () => {
      const { app, db } = await api();
      const [prompt, , , toolUse] = sessionEvents("95c9e0c1");
      expect(toolUse?.hook_event_name).toBe("PostToolUse");
      expect((await post(app, HOOK, prompt)).status).toBe(200);
      // A real failure of the store: the tool-call table is not where the receiver writes.
      await db.schema.alterTable("workflow_tool_calls").renameTo("workflow_tool_calls_away").execute();
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});

      const failed = await post(app, HOOK, toolUse);
      expect(failed.status).toBe(500);
      expect(failed.body.error.code).toBe("hook_not_stored");
      expect(failed.body.error.message).toMatch(/^the hook payload was not stored: .*workflow_tool_calls/);
      // One line, whatever the error holds.
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(/^\[api\] hook processing failed: [^\n]*workflow_tool_calls/),
      );

      // Nothing of it was kept, so the same delivery once the store is back is stored, not a duplicate.
      await db.schema.alterTable("workflow_tool_calls_away").renameTo("workflow_tool_calls").execute();
      const again = await post(app, HOOK, toolUse);
      expect(again.status).toBe(200);
      expect(again.body.action).toBe("tool_call");
    });
  });
}
