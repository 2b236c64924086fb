import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPredictor } from "@patternloop/validator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENGINES, post, useApi } from "../test/support/api-harness.js";
import { type IdleSweep, startIdleSweep } from "./idle-sweep.js";

const HOOK = "/v1/hooks/claude-code";
const session = "9c2e4f60-7a1b-4c3d-8e5f-0a1b2c3d4e5f";
const base = { session_id: session, cwd: "/repo", permission_mode: "default" };
const prompt = { ...base, hook_event_name: "UserPromptSubmit", prompt: "Run pytest on the server" };
const toolCall = (id: string, command: string) => ({
  ...base,
  hook_event_name: "PostToolUse",
  tool_name: "Bash",
  tool_input: { command },
  tool_response: { stdout: "" },
  tool_use_id: id,
});

for (const engine of ENGINES) {
  describe(`the idle sweep of the hook receiver (${engine})`, () => {
    const api = useApi(engine);
    let sweep: IdleSweep | undefined;
    afterEach(async () => {
      await sweep?.stop();
      sweep = undefined;
    });

    it("closes the run of a session gone quiet; a later event of the session opens a new run", async () => {
      const { app, db, handle } = await api();
      await post(app, HOOK, prompt);
      await post(app, HOOK, toolCall("toolu_1", "cd app/server && uv run pytest"));
      const started = await db
        .selectFrom("workflow_tool_calls")
        .select("workflow_id")
        .executeTakeFirstOrThrow();
      sweep = startIdleSweep(handle, {
        idleTimeoutMs: 50,
        intervalMs: 10,
        predictor: createPredictor(),
        log: () => {},
      });
      await vi.waitFor(
        async () =>
          expect(
            (await db.selectFrom("workflow_history").select("status").executeTakeFirstOrThrow()).status,
          ).toBe("completed"),
        { timeout: 30_000, interval: 20 },
      );
      await sweep.stop();
      expect(await db.selectFrom("pattern_occurrences").select("workflow_id").execute()).toEqual([
        { workflow_id: started.workflow_id },
      ]);

      await post(app, HOOK, toolCall("toolu_2", "git diff --stat"));
      const next = await db
        .selectFrom("workflow_tool_calls")
        .select("workflow_id")
        .where("tool_use_id", "=", "toolu_2")
        .executeTakeFirstOrThrow();
      expect(next.workflow_id).not.toBe(started.workflow_id);
      const runs = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "status"])
        .orderBy("id")
        .execute();
      expect(runs).toEqual([
        { workflow_id: started.workflow_id, status: "completed" },
        { workflow_id: next.workflow_id, status: "running" },
      ]);
    });

    it("measures quiet on its clock: a session is closed once the idle time has passed since its last event", async () => {
      const { app, db, handle } = await api();
      await post(app, HOOK, prompt);
      let clock = Date.now();
      // The interval is long: only the sweeps called here run.
      sweep = startIdleSweep(handle, {
        idleTimeoutMs: 60_000,
        intervalMs: 3_600_000,
        now: () => clock,
        predictor: createPredictor(),
        log: () => {},
      });
      expect((await sweep.sweep()).closed).toEqual([]);
      // Another event half an idle time later keeps the session open a full idle time after it.
      await post(app, HOOK, toolCall("toolu_1", "ls"));
      const lastEvent = Date.parse(
        (await db.selectFrom("claude_code_sessions").select("updated_at").executeTakeFirstOrThrow())
          .updated_at,
      );
      clock = lastEvent + 59_000;
      expect((await sweep.sweep()).closed).toEqual([]);
      clock = lastEvent + 61_000;
      expect((await sweep.sweep()).closed).toMatchObject([{ session_id: session, recorded: true }]);
      expect((await sweep.sweep()).closed).toEqual([]);
    });
  });
}

describe("startIdleSweep", () => {
  it("refuses an idle time that is not a positive number", () => {
    for (const idleTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => startIdleSweep({} as never, { idleTimeoutMs })).toThrow(RangeError);
  });

  it("does not keep the process alive", { timeout: 60_000 }, () => {
    const directory = mkdtempSync(join(tmpdir(), "patternloop-idle-sweep-"));
    try {
      // The built packages, as a user's process loads them.
      const db = import.meta.resolve("@patternloop/db");
      const api = new URL("../dist/index.js", import.meta.url).href;
      // Opens a database, starts a sweep and never stops it: the process must still end by itself.
      const script = `
        const { createDatabase } = await import(${JSON.stringify(db)});
        const { startIdleSweep } = await import(${JSON.stringify(api)});
        const database = await createDatabase(${JSON.stringify(join(directory, "h.sqlite"))}, { create: true });
        startIdleSweep(database, { idleTimeoutMs: 1_000, intervalMs: 1_000 });
        console.log("sweeping");
      `;
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(child.stderr).toBe("");
      expect(child.stdout).toBe("sweeping\n");
      expect(child.status).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
