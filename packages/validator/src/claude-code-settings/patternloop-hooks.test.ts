import { describe, expect, it } from "vitest";
import { isAtLeast, parseClaudeCodeVersion } from "./claude-code-version.js";
import {
  DEFAULT_HOOK_URL,
  isPatternloopHook,
  PATTERNLOOP_EVENTS,
  patternloopHooks,
} from "./patternloop-hooks.js";

describe("patternloopHooks", () => {
  it("gives each event an http hook as Claude Code documents it, the token coming from the environment", () => {
    const { entries, leftOut } = patternloopHooks(DEFAULT_HOOK_URL, "http");
    expect(leftOut).toEqual([]);
    expect(entries.map((entry) => [entry.event, entry.matcher, entry.handler.timeout])).toEqual([
      ["UserPromptSubmit", undefined, 5],
      ["PostToolUse", "*", 5],
      ["PostToolUseFailure", "*", 5],
      ["Stop", undefined, 10],
      ["StopFailure", undefined, 10],
      ["SessionEnd", undefined, 1.5],
    ]);
    expect(entries[0]?.handler).toEqual({
      type: "http",
      url: "http://127.0.0.1:8787/v1/hooks/claude-code",
      timeout: 5,
      headers: { Authorization: "Bearer $PATTERNLOOP_TOKEN" },
      allowedEnvVars: ["PATTERNLOOP_TOKEN"],
    });
    for (const { handler } of entries) {
      // Claude Code fills a header variable that allowedEnvVars does not list with an empty string.
      const variables = JSON.stringify(handler.headers).match(/\$\{?([A-Z_]+)/g) ?? [];
      for (const variable of variables)
        expect(handler.allowedEnvVars).toContain(variable.replace(/^\$\{?/, ""));
    }
    expect(entries.map((entry) => entry.event)).toEqual(PATTERNLOOP_EVENTS);
  });

  it("gives the fallback a curl command with its own time limit under the hook's, that always exits 0", () => {
    const { entries } = patternloopHooks("http://127.0.0.1:9/v1/hooks/claude-code", "command");
    const sessionEnd = entries.find((entry) => entry.event === "SessionEnd");
    expect(sessionEnd?.handler).toEqual({
      type: "command",
      command:
        "curl -s -o /dev/null -m 1 -X POST -H 'Content-Type: application/json' " +
        `-H "Authorization: Bearer $PATTERNLOOP_TOKEN" --data-binary @- 'http://127.0.0.1:9/v1/hooks/claude-code' >/dev/null 2>&1; exit 0`,
      timeout: 1.5,
    });
    expect(entries.find((entry) => entry.event === "Stop")?.handler.command).toContain(" -m 9 ");
  });

  it("quotes a URL for the shell", () => {
    const { entries } = patternloopHooks("http://h/v1/hooks/claude-code?a='b'", "command");
    expect(entries[0]?.handler.command).toContain(`'http://h/v1/hooks/claude-code?a='\\''b'\\'''`);
  });

  it("leaves out the events an older Claude Code does not know (it would skip the whole file)", () => {
    const version = (text: string) => parseClaudeCodeVersion(text);
    expect(patternloopHooks(DEFAULT_HOOK_URL, "http", version("2.1.70 (Claude Code)")).leftOut).toEqual([
      { event: "StopFailure", since: "2.1.78" },
    ]);
    const old = patternloopHooks(DEFAULT_HOOK_URL, "command", version("2.0.50"));
    expect(old.entries.map((entry) => entry.event)).toEqual([
      "UserPromptSubmit",
      "PostToolUse",
      "Stop",
      "SessionEnd",
    ]);
    expect(patternloopHooks(DEFAULT_HOOK_URL, "http", version("2.1.78")).leftOut).toEqual([]);
  });
});

describe("isPatternloopHook", () => {
  it("knows patternloop's hooks by their route or token, whatever wrote them", () => {
    for (const { handler } of [
      ...patternloopHooks(DEFAULT_HOOK_URL, "http").entries,
      ...patternloopHooks("https://receiver.example/patternloop", "http").entries,
      ...patternloopHooks("https://receiver.example/patternloop", "command").entries,
    ])
      expect(isPatternloopHook(handler)).toBe(true);
    expect(
      isPatternloopHook({
        type: "http",
        url: "http://127.0.0.1:8787/v1/hooks/claude-code",
        headers: { Authorization: "Bearer change-me" },
      }),
    ).toBe(true);
  });

  it("leaves every other tool's hooks alone", () => {
    for (const handler of [
      { type: "command", command: "npx prettier --write" },
      {
        type: "http",
        url: "http://localhost:8080/hooks/tool-use",
        headers: { Authorization: "Bearer $MY_TOKEN" },
      },
      { type: "prompt", prompt: "Is /v1/hooks/claude-code up?" },
      { type: "command" },
    ])
      expect(isPatternloopHook(handler)).toBe(false);
  });
});

describe("Claude Code versions", () => {
  it("reads the version `claude --version` prints and compares it", () => {
    expect(parseClaudeCodeVersion("2.1.63 (Claude Code)")).toEqual({ major: 2, minor: 1, patch: 63 });
    expect(parseClaudeCodeVersion("claude: command not found")).toBeUndefined();
    const floor = { major: 2, minor: 1, patch: 63 };
    expect(isAtLeast({ major: 2, minor: 1, patch: 63 }, floor)).toBe(true);
    expect(isAtLeast({ major: 2, minor: 1, patch: 9 }, floor)).toBe(false);
    expect(isAtLeast({ major: 2, minor: 2, patch: 0 }, floor)).toBe(true);
    expect(isAtLeast({ major: 1, minor: 9, patch: 99 }, floor)).toBe(false);
    expect(isAtLeast({ major: 3, minor: 0, patch: 0 }, floor)).toBe(true);
  });
});
