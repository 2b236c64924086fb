import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { createPredictor, receiveClaudeCodeHook } from "@patternloop/validator";
import { describe, expect, it } from "vitest";
import { ingestHookLog } from "./ingest-hook-log.js";
import { readHookLog } from "./read-hook-log.js";

const session = "3f6b1d2c-8e4a-4c7b-9a0d-5e2f1b7c6d84";
const base = {
  session_id: session,
  cwd: "/repo",
  transcript_path: `/home/u/.claude/projects/-repo/${session}.jsonl`,
};
const prompt = { ...base, hook_event_name: "UserPromptSubmit", prompt: "run the tests" };
const bash = (id: string) => ({
  ...base,
  hook_event_name: "PostToolUse",
  tool_name: "Bash",
  tool_input: { command: "uv run pytest -q" },
  tool_response: { stdout: "3 passed" },
  tool_use_id: id,
});
const stop = { ...base, hook_event_name: "Stop" };
/** One session in which the same prompt is typed twice, annotated as the shared hook logs are. */
const LOGGED = [prompt, bash("toolu_1"), stop, prompt, bash("toolu_2"), stop].map((event, seq) => ({
  ...event,
  _seq: seq,
  _order: "transcript",
  _repo: "someone/something",
}));

function logFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "patternloop-hook-log-")), "hooks.jsonl");
  writeFileSync(file, `${LOGGED.map((line) => JSON.stringify(line)).join("\n")}\n`);
  return file;
}

for (const engine of ENGINES) {
  describe(`ingestHookLog (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const runs = (db: ReturnType<typeof fresh>["db"]) =>
      db.selectFrom("workflow_history").select(["workflow_id", "nl_input", "status"]).orderBy("id").execute();

    it("stores the same prompt on two lines as two runs, and nothing new when the log comes again", async () => {
      const { handle, db } = fresh();
      const log = await readHookLog(logFile());
      const first = await ingestHookLog(handle, log);
      expect(first).toMatchObject({ lines: 6, sessions: 1, runs: 2, tool_calls: 2, malformed: 0 });
      const stored = await runs(db);
      expect(stored.map((run) => [run.nl_input, run.status])).toEqual([
        ["run the tests", "completed"],
        ["run the tests", "completed"],
      ]);
      const again = await ingestHookLog(handle, await readHookLog(logFile()));
      expect(again).toMatchObject({ runs: 0, tool_calls: 0 });
      expect(again.events).toEqual({ started: 0, tool_call: 0, completed: 0, ignored: 0, duplicate: 6 });
      expect(await runs(db)).toEqual(stored);
    });

    it("recognises the lines an earlier version stored, which named them by the annotated line", async () => {
      const { handle, db } = fresh();
      // What `ingest hooks` did before: the line as logged, annotations included, straight to the receiver.
      const options = { predictor: createPredictor(), log: () => {} };
      for (const line of LOGGED) await receiveClaudeCodeHook(handle, line, options);
      const before = await runs(db);
      expect(before).toHaveLength(2);
      const again = await ingestHookLog(handle, await readHookLog(logFile()));
      expect(again).toMatchObject({ runs: 0, tool_calls: 0 });
      expect(await runs(db)).toEqual(before);
    });

    it("closes a run left open at its session's last payload, unless told to leave it open", async () => {
      const { handle, db } = fresh();
      const log = await readHookLog(logFile());
      for (const session of log.sessions) session.hooks.pop();
      const open = await ingestHookLog(handle, log, { leaveOpen: true });
      expect(open.closed_idle).toBe(0);
      expect((await runs(db)).map((run) => run.status)).toEqual(["completed", "running"]);
      const closed = await ingestHookLog(handle, log);
      expect(closed.closed_idle).toBe(1);
      expect((await runs(db)).map((run) => run.status)).toEqual(["completed", "completed"]);
    });
  });
}
