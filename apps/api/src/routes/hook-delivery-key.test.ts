import { describe, expect, it } from "vitest";
import { ENGINES, JSON_WRITE, post, useApi } from "../../test/support/api-harness.js";

const HOOK = "/v1/hooks/claude-code";
const session = "5d0c2a47-81e3-4f0b-a6f1-0e2b7c9d4a15";
/** A prompt typed twice in one session: the same payload, two prompts. */
const prompt = {
  session_id: session,
  transcript_path: `/home/user/.claude/projects/-repo/${session}.jsonl`,
  cwd: "/repo",
  hook_event_name: "UserPromptSubmit",
  prompt: "continue",
};
const keyed = (key: string) => ({ ...JSON_WRITE, "patternloop-delivery-key": key });

for (const engine of ENGINES) {
  describe(`POST /v1/hooks/claude-code with a Patternloop-Delivery-Key (${engine})`, () => {
    const api = useApi(engine);

    it("takes the same payload under two keys as two deliveries, and under one key as one", async () => {
      const { app, db } = await api();
      const first = await post(app, HOOK, prompt, keyed("seq:3"));
      const second = await post(app, HOOK, prompt, keyed("seq:9"));
      expect([first.hook, second.hook]).toEqual(["kept", "kept"]);
      const again = await post(app, HOOK, prompt, keyed("seq:9"));
      expect([again.status, again.body, again.hook]).toEqual([200, {}, "duplicate"]);
      // Without a key, a payload without a tool_use_id is a new event each time (Claude Code sends each once).
      expect((await post(app, HOOK, prompt)).hook).toBe("kept");
      const runs = await db.selectFrom("workflow_history").select(["workflow_id", "nl_input"]).execute();
      expect(runs.map((run) => run.nl_input)).toEqual(["continue", "continue", "continue"]);
      expect(new Set(runs.map((run) => run.workflow_id)).size).toBe(3);
    });
  });
}
