import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createDatabase } from "@patternloop/db";
import { ENGINES, freshUrl } from "@patternloop/db/testing";
import { createPredictor } from "@patternloop/validator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { startHookWorker } from "../src/hook-worker.js";
import { startServer } from "../src/server.js";
import { postJson, startServe } from "./support/serve-process.js";

const TOKEN = "hook-restart-token-5b9e";
const session = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const base = {
  session_id: session,
  transcript_path: `/home/u/.claude/projects/-repo/${session}.jsonl`,
  cwd: "/repo",
};
/** One session's turns as Claude Code sends them: a turn cut by an API error, then one that ends. */
const EVENTS = [
  { ...base, hook_event_name: "UserPromptSubmit", prompt: "run the backend tests" },
  {
    ...base,
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: "cd app/server && uv run pytest -q" },
    tool_response: { stdout: "3 passed", stderr: "", interrupted: false, isImage: false },
    tool_use_id: "toolu_01R1",
  },
  {
    ...base,
    hook_event_name: "StopFailure",
    error: "server_error",
    error_details: "529 Overloaded",
    last_assistant_message: "API Error: Overloaded",
  },
  { ...base, hook_event_name: "UserPromptSubmit", prompt: "show the diff" },
  {
    ...base,
    hook_event_name: "PostToolUseFailure",
    tool_name: "Bash",
    tool_input: { command: "git diff --stat" },
    tool_use_id: "toolu_01R2",
    error: "Command exited with non-zero status code 128",
    is_interrupt: false,
  },
  { ...base, hook_event_name: "SessionEnd", reason: "prompt_input_exit" },
];
/** What the session's events make of its runs, once applied. */
const APPLIED = {
  runs: [
    {
      nl_input: "run the backend tests",
      status: "failed",
      error_message: "API error (server_error): 529 Overloaded",
    },
    { nl_input: "show the diff", status: "completed", error_message: null },
  ],
  calls: [
    { tool_use_id: "toolu_01R1", success: 1, error: null },
    { tool_use_id: "toolu_01R2", success: 0, error: "Command exited with non-zero status code 128" },
  ],
  pending: 0,
};

async function stateOf(url: string) {
  const database = await createDatabase(url);
  try {
    const { db } = database;
    return {
      runs: await db
        .selectFrom("workflow_history")
        .select(["nl_input", "status", "error_message"])
        .orderBy("id")
        .execute(),
      calls: await db
        .selectFrom("workflow_tool_calls")
        .select(["tool_use_id", "success", "error"])
        .orderBy("tool_use_id")
        .execute(),
      pending: Number(
        (
          await db
            .selectFrom("hook_inbox")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("processed_at", "is", null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    };
  } finally {
    await database.close();
  }
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

for (const engine of ENGINES)
  describe(`hook events answered before a restart (${engine})`, { timeout: 120_000 }, () => {
    it("are applied once the server starts again, when none had been applied before it stopped", async () => {
      const url = await freshUrl(engine);
      // A receiver whose worker is stopped: it keeps and answers, and applies nothing.
      const database = await createDatabase(url, { create: true });
      const predictor = createPredictor();
      const worker = startHookWorker(database, { predictor, log: () => {} });
      await worker.stop();
      const app = createApp({ database, predictor, token: TOKEN, hooks: worker, log: () => {} });
      const listening = await new Promise<{ server: ServerType; url: string }>((resolve) => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
          resolve({ server, url: `http://127.0.0.1:${info.port}` }),
        );
      });
      for (const event of EVENTS)
        expect(await postJson(`${listening.url}/v1/hooks/claude-code`, event, TOKEN)).toEqual({
          status: 200,
          body: {},
          hook: "kept",
        });
      expect(await stateOf(url)).toEqual({ runs: [], calls: [], pending: EVENTS.length });
      await new Promise((resolve) => listening.server.close(resolve));
      await database.close();

      // The server as `patternloop serve` starts it, on the same database.
      const server = await startServer({ databaseUrl: url, port: 0, token: TOKEN, log: () => {} });
      closers.push(() => server.close());
      await vi.waitFor(async () => expect(await stateOf(url)).toEqual(APPLIED), {
        timeout: 60_000,
        interval: 100,
      });
    });

    it("are all applied after `patternloop serve` is killed right after answering, and started again", async () => {
      const db = await freshUrl(engine);
      const first = await startServe({ db, token: TOKEN });
      for (const event of EVENTS)
        expect(await postJson(`${first.url}/v1/hooks/claude-code`, event, TOKEN)).toMatchObject({
          status: 200,
          hook: "kept",
        });
      // No chance to finish: whatever it had not applied (or was applying) is left in the inbox.
      expect(await first.stop("SIGKILL")).toMatchObject({ signal: "SIGKILL" });
      const second = await startServe({ db, token: TOKEN });
      closers.push(() => second.stop());
      // An event the killed process was applying is held by it for a while (20 s), then taken again.
      await vi.waitFor(async () => expect(await stateOf(db)).toEqual(APPLIED), {
        timeout: 90_000,
        interval: 200,
      });
    });
  });
