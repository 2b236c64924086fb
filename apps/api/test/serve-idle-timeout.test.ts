import { createDatabase } from "@patternloop/db";
import { freshUrl, PG_URL } from "@patternloop/db/testing";
import { describe, expect, it, vi } from "vitest";
import { postJson, refusedServe, startServe } from "./support/serve-process.js";

const TOKEN = "serve-idle-token-7d21";
const session = "3f8a1c2d-4b5e-4f60-9a7b-8c9d0e1f2a3b";
const base = { session_id: session, cwd: "/repo", permission_mode: "default" };
const prompt = { ...base, hook_event_name: "UserPromptSubmit", prompt: "Run pytest on the server" };
const toolCall = {
  ...base,
  hook_event_name: "PostToolUse",
  tool_name: "Bash",
  tool_input: { command: "cd app/server && uv run pytest -q" },
  tool_response: { stdout: "3 passed" },
  tool_use_id: "toolu_01A",
};

/** What the runs of a database are, and how often the pattern of the tool call was recorded. */
async function stateOf(url: string) {
  const database = await createDatabase(url);
  try {
    const runs = await database.db.selectFrom("workflow_history").select(["workflow_id", "status"]).execute();
    const patterns = await database.db
      .selectFrom("operation_patterns")
      .select(["pattern_signature", "occurrence_count"])
      .execute();
    return { runs, patterns };
  } finally {
    await database.close();
  }
}

/** Sends a quiet session's prompt and tool call to `url`, then waits for some replica to close its run. */
async function expectClosedWhenQuiet(url: string, db: string) {
  expect(await postJson(`${url}/v1/hooks/claude-code`, prompt, TOKEN)).toMatchObject({ hook: "kept" });
  expect(await postJson(`${url}/v1/hooks/claude-code`, toolCall, TOKEN)).toMatchObject({ hook: "kept" });
  await vi.waitFor(
    async () =>
      expect((await stateOf(db)).runs).toEqual([{ workflow_id: expect.any(String), status: "completed" }]),
    { timeout: 30_000, interval: 100 },
  );
  expect((await stateOf(db)).patterns).toEqual([
    { pattern_signature: "test:pytest:backend", occurrence_count: 1 },
  ]);
}

describe("patternloop serve --idle-timeout", { timeout: 120_000 }, () => {
  it("closes the run of a session that went quiet, then exits 0 on SIGTERM", async () => {
    const db = await freshUrl("sqlite");
    const server = await startServe({ db, token: TOKEN, args: ["--idle-timeout", "300ms"] });
    await expectClosedWhenQuiet(server.url, db);
    expect(server.stderr()).not.toMatch(/idle sweep/);
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it.skipIf(PG_URL === undefined)(
    "two replicas on one PostgreSQL database both sweep and record the run once",
    async () => {
      const db = await freshUrl("postgres");
      // The first creates the schema; the second starts once it exists.
      const first = await startServe({ db, token: TOKEN, args: ["--idle-timeout", "300ms"] });
      const second = await startServe({ db, token: TOKEN, args: ["--idle-timeout", "300ms"] });
      await expectClosedWhenQuiet(first.url, db);
      // A few more sweeps of both replicas change nothing.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await stateOf(db)).patterns).toEqual([
        { pattern_signature: "test:pytest:backend", occurrence_count: 1 },
      ]);
      expect(`${first.stderr()}${second.stderr()}`).not.toMatch(/idle sweep/);
      expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(await second.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );

  it("refuses an idle timeout that is not a duration, with one line and exit code 2", async () => {
    for (const value of ["0m", "soon", "30"]) {
      const exit = await refusedServe({
        db: await freshUrl("sqlite"),
        token: TOKEN,
        args: ["--idle-timeout", value],
      });
      expect(exit.code).toBe(2);
      expect(exit.stderr).toBe(
        `patternloop: --idle-timeout takes a duration such as 30m, 90s or 2h, not ${JSON.stringify(value)}\n`,
      );
    }
  });
});
