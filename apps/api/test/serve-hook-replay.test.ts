import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@patternloop/db";
import { ENGINES, freshUrl, storedReplay } from "@patternloop/db/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { HOOK_EVENTS } from "./support/hook-sessions.js";
import { postJson, runCli, startServe } from "./support/serve-process.js";

const TOKEN = "hook-replay-token-3e1f";
/** Four sessions of the permissive real-world hook log, annotated as logged (`_seq`, `_order`, `_repo`). */
const LOG = fileURLToPath(new URL("./fixtures/hook-sessions.jsonl", import.meta.url));
const directory = mkdtempSync(join(tmpdir(), "patternloop-hook-replay-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The payload Claude Code sent: the line without the logger's `_` keys. */
const sent = (event: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(event).filter(([key]) => !key.startsWith("_")));

/** What the log stored, and the inbox and sessions that received it (the inbox without its processing time). */
async function storedRows(url: string) {
  const stored = await storedReplay(url);
  const database = await createDatabase(url);
  try {
    const { db } = database;
    return {
      ...stored,
      events: await db
        .selectFrom("hook_inbox")
        .select(["event_id", "session_id", "processed_at"])
        .orderBy("event_id")
        .execute()
        .then((rows) => rows.map((row) => ({ ...row, processed_at: row.processed_at !== null }))),
      sessions: await db
        .selectFrom("claude_code_sessions")
        .select(["session_id", "open_workflow_id", "prompts"])
        .orderBy("session_id")
        .execute(),
    };
  } finally {
    await database.close();
  }
}

for (const engine of ENGINES)
  describe(`the permissive hook log, replayed two ways (${engine})`, { timeout: 180_000 }, () => {
    it("gives the same runs, tool calls and occurrences through `ingest hooks` as over HTTP from Claude Code", async () => {
      const newUrl = async (name: string) =>
        engine === "sqlite" ? join(directory, `${name}.sqlite`) : freshUrl(engine);
      const viaCli = await newUrl("cli");
      // Left open: the server has no idle time to close a session's last run at within the test.
      const ingested = runCli(["ingest", "hooks", LOG, "--db", viaCli, "--leave-open", "--json"]);
      expect(ingested.status, ingested.stderr).toBe(0);

      const viaHttp = await newUrl("http");
      const server = await startServe({ db: viaHttp, token: TOKEN });
      try {
        // As Claude Code sends them: the payload alone, no delivery key, each session's in its order.
        for (const event of HOOK_EVENTS) {
          const answer = await postJson(`${server.url}/v1/hooks/claude-code`, sent(event), TOKEN);
          expect(answer.status).toBe(200);
          expect(answer.body).toEqual({});
        }
        await vi.waitFor(
          async () =>
            expect((await storedRows(viaHttp)).events.every((event) => event.processed_at)).toBe(true),
          { timeout: 60_000, interval: 100 },
        );
      } finally {
        expect(await server.stop()).toEqual({ code: 0, signal: null });
      }

      const cli = await storedRows(viaCli);
      expect(cli.runs.length).toBeGreaterThan(0);
      expect(cli.toolCalls.length).toBeGreaterThan(0);
      expect(cli.occurrences.length).toBeGreaterThan(0);
      expect(await storedRows(viaHttp)).toEqual(cli);

      // The log ingested where the server stored it is recognised event by event: nothing new.
      const again = runCli(["ingest", "hooks", LOG, "--db", viaHttp, "--leave-open", "--json"]);
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        runs: 0,
        tool_calls: 0,
        events: { started: 0, tool_call: 0, completed: 0 },
      });
      expect(await storedRows(viaHttp)).toEqual(cli);
    });
  });
