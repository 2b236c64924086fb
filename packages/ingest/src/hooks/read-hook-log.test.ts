import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readHookLog } from "./read-hook-log.js";

function logFile(lines: readonly unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "patternloop-hook-log-")), "hooks.jsonl");
  writeFileSync(
    file,
    `${lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n")}\n`,
  );
  return file;
}

const hook = (session: string, event: string, extra: Record<string, unknown> = {}) => ({
  session_id: session,
  hook_event_name: event,
  ...extra,
});

describe("readHookLog", () => {
  it("gives the receiver the payload Claude Code sent: the logger's `_` keys taken off", async () => {
    const logged = {
      ...hook("a", "UserPromptSubmit", { prompt: "run the tests" }),
      _seq: 0,
      _order: "ts",
      _repo: "x/y",
    };
    const log = await readHookLog(logFile([logged]));
    expect(log.sessions).toEqual([
      {
        session_id: "a",
        hooks: [
          {
            line: 1,
            payload: hook("a", "UserPromptSubmit", { prompt: "run the tests" }),
            deliveryKey: "seq:0",
            logged,
          },
        ],
      },
    ]);
  });

  it("puts each session in `_seq` order, a line without `_seq` right after the line before it", async () => {
    const log = await readHookLog(
      logFile([
        { ...hook("a", "Stop"), _seq: 3 },
        { ...hook("b", "UserPromptSubmit", { prompt: "b" }), _seq: 0 },
        { ...hook("a", "UserPromptSubmit", { prompt: "a" }), _seq: 1 },
        hook("a", "PostToolUse", { tool_name: "Bash" }),
        { ...hook("a", "PostToolUse", { tool_name: "Read" }), _seq: 2 },
      ]),
    );
    expect(log.sessions.map((session) => session.session_id)).toEqual(["a", "b"]);
    expect(log.sessions[0]?.hooks.map((h) => [h.line, h.deliveryKey])).toEqual([
      [3, "seq:1"],
      [4, "line:4"],
      [5, "seq:2"],
      [1, "seq:3"],
    ]);
  });

  it("keeps the same payload on two lines as two deliveries, and one line written twice as one", async () => {
    const prompt = hook("a", "UserPromptSubmit", { prompt: "continue" });
    const log = await readHookLog(
      logFile([{ ...prompt, _seq: 0 }, { ...prompt, _seq: 0 }, { ...prompt, _seq: 5 }, prompt, prompt]),
    );
    expect(log.sessions[0]?.hooks.map((h) => h.deliveryKey)).toEqual([
      "seq:0",
      "seq:0",
      "seq:5",
      "line:4",
      "line:5",
    ]);
  });

  it("reports and skips a line that is not a hook payload; keeps payloads without a session apart", async () => {
    const problems: string[] = [];
    const log = await readHookLog(
      logFile([
        "{not json",
        "",
        "[1]",
        { session_id: "a" },
        { ...hook("a", "Stop"), _seq: 0 },
        { hook_event_name: "Notification" },
      ]),
      (line, problem) => problems.push(`${line}: ${problem}`),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^1: skipped: invalid JSON/),
      "3: skipped: not a JSON object",
      expect.stringMatching(/^4: skipped: not a hook payload: hook_event_name: /),
    ]);
    expect(log).toMatchObject({ lines: 5, malformed: 3 });
    expect(log.sessions.map((session) => [session.session_id, session.hooks.length])).toEqual([
      ["a", 1],
      ["", 1],
    ]);
  });

  it("refuses a missing file before reading anything", async () => {
    await expect(readHookLog("/nonexistent/hooks.jsonl")).rejects.toMatchObject({
      name: "PatternloopIngestError",
      code: "bad_input",
      message: "file not found: /nonexistent/hooks.jsonl",
    });
  });
});
