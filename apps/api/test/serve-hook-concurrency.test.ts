import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@patternloop/db";
import { freshUrl, PG_URL } from "@patternloop/db/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { postJson, runCli, type ServeProcess, startServe } from "./support/serve-process.js";

const TOKEN = "hook-concurrency-token-41c7";
const SESSIONS = 20;
const CALLS = 20;
const directory = mkdtempSync(join(tmpdir(), "patternloop-api-hook-concurrency-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const sessionId = (s: number) => `5e55${String(s).padStart(4, "0")}-0000-4000-8000-000000000000`;

/** A session's payloads as Claude Code sends them over its HTTP hooks. */
function hook(s: number, fields: Record<string, unknown>) {
  return {
    session_id: sessionId(s),
    transcript_path: `/home/user/.claude/projects/-work-repo/${sessionId(s)}.jsonl`,
    cwd: "/work/repo",
    ...fields,
  };
}

const prompt = (s: number) =>
  hook(s, { hook_event_name: "UserPromptSubmit", prompt: `run the checks of package ${s}` });

const toolUse = (s: number, c: number) =>
  hook(s, {
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: `echo step ${c}`, description: `step ${c}` },
    tool_response: { stdout: `step ${c}`, stderr: "", interrupted: false, isImage: false },
    tool_use_id: `toolu_${String(s).padStart(2, "0")}_${String(c).padStart(2, "0")}`,
  });

/**
 * Every session's prompt, then all of every session's tool calls at once: 20 sessions each sending 20
 * distinct PostToolUse together, spread over the servers in turn. Returns the answers' statuses and bodies.
 */
async function deliverAtOnce(servers: readonly ServeProcess[]) {
  const url = (n: number) => `${(servers[n % servers.length] as ServeProcess).url}/v1/hooks/claude-code`;
  const prompts = await Promise.all(
    Array.from({ length: SESSIONS }, (_, s) => postJson(url(s), prompt(s), TOKEN)),
  );
  const toolUses = await Promise.all(
    Array.from({ length: SESSIONS * CALLS }, (_, n) =>
      postJson(url(n), toolUse(Math.floor(n / CALLS), n % CALLS), TOKEN),
    ),
  );
  return { prompts, toolUses };
}

/** Each session has one run holding its 20 calls at positions 0 to 19; returns the calls stored. */
async function storedCalls(db: string) {
  const database = await createDatabase(db);
  try {
    const runs = await database.db
      .selectFrom("workflow_history")
      .select(["workflow_id", "nl_input"])
      .orderBy("nl_input")
      .execute();
    const calls = await database.db
      .selectFrom("workflow_tool_calls")
      .select(["workflow_id", "seq", "tool_use_id"])
      .orderBy("workflow_id")
      .orderBy("seq")
      .execute();
    return { runs, calls };
  } finally {
    await database.close();
  }
}

async function expectEveryCallStored(db: string, servers: readonly ServeProcess[]) {
  const stderr = () => servers.map((server) => server.stderr()).join("\n");
  const { prompts, toolUses } = await deliverAtOnce(servers);
  const failed = [...prompts, ...toolUses].filter(
    (answer) => answer.status !== 200 || answer.hook !== "kept",
  );
  expect(failed.length, `answers: ${JSON.stringify(failed.slice(0, 3))}; stderr: ${stderr()}`).toBe(0);

  // Applied after the answers: every call kept is stored, soon.
  await vi.waitFor(async () => expect((await storedCalls(db)).calls).toHaveLength(SESSIONS * CALLS), {
    timeout: 60_000,
    interval: 200,
  });
  const { runs, calls } = await storedCalls(db);
  expect(runs).toHaveLength(SESSIONS);
  for (const { workflow_id } of runs) {
    const own = calls.filter((call) => call.workflow_id === workflow_id);
    expect(own.map((call) => call.seq)).toEqual(Array.from({ length: CALLS }, (_, i) => i));
    expect(new Set(own.map((call) => call.tool_use_id?.slice(0, 8))).size).toBe(1);
  }
  const check = runCli(["check", "--db", db, "--json"]);
  expect(JSON.parse(check.stdout)).toMatchObject({ workflows: SESSIONS, violations: [] });
}

describe("20 Claude Code sessions sending 20 tool calls each at once to patternloop serve", {
  timeout: 240_000,
}, () => {
  it("one server on a SQLite file stores all 400, answering each 200", async () => {
    const db = join(directory, "hooks.sqlite");
    const server = await startServe({ db, token: TOKEN });
    try {
      await expectEveryCallStored(db, [server]);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it.skipIf(PG_URL === undefined)("one server on PostgreSQL stores all 400, answering each 200", async () => {
    const db = await freshUrl("postgres");
    const server = await startServe({ db, token: TOKEN });
    try {
      await expectEveryCallStored(db, [server]);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it.skipIf(PG_URL === undefined)(
    "two servers on one PostgreSQL schema, deliveries split between them, store all 400",
    async () => {
      const db = await freshUrl("postgres");
      // The first server creates and migrates the schema; the second joins it.
      const first = await startServe({ db, token: TOKEN });
      const second = await startServe({ db, token: TOKEN });
      try {
        await expectEveryCallStored(db, [first, second]);
      } finally {
        expect(await first.stop()).toEqual({ code: 0, signal: null });
        expect(await second.stop()).toEqual({ code: 0, signal: null });
      }
    },
  );
});
