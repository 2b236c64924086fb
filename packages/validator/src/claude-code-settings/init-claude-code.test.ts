import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstalledClaudeCode } from "./claude-code-version.js";
import { type InitClaudeCodeOptions, initClaudeCode } from "./init-claude-code.js";
import { DEFAULT_HOOK_URL, isPatternloopHook, PATTERNLOOP_EVENTS } from "./patternloop-hooks.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const claude = (version: string): (() => InstalledClaudeCode) => {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  return () => ({ found: true, version: { major, minor, patch }, text: `${version} (Claude Code)` });
};
const noClaude = () => ({ found: false, reason: "`claude` is not on PATH" }) as const;

let project: string;
let settingsPath: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "patternloop-init-"));
  settingsPath = join(project, ".claude", "settings.json");
});

function init(options: Partial<InitClaudeCodeOptions> = {}) {
  return initClaudeCode({
    projectDir: project,
    user: false,
    url: DEFAULT_HOOK_URL,
    remove: false,
    dryRun: false,
    detect: claude("2.1.300"),
    ...options,
  });
}

function withSettings(text: string): void {
  mkdirSync(join(project, ".claude"), { recursive: true });
  writeFileSync(settingsPath, text);
}

const read = () => readFileSync(settingsPath, "utf8");

describe("initClaudeCode", () => {
  it("creates the settings file with an http hook for each event and no token in it", () => {
    const result = init();
    expect(result).toMatchObject({ ok: true, action: "create", kind: "http", events: PATTERNLOOP_EVENTS });
    const settings = JSON.parse(read());
    expect(Object.keys(settings.hooks)).toEqual(PATTERNLOOP_EVENTS);
    expect(settings.hooks.Stop).toEqual([
      {
        hooks: [
          {
            type: "http",
            url: DEFAULT_HOOK_URL,
            timeout: 10,
            headers: { Authorization: "Bearer $PATTERNLOOP_TOKEN" },
            allowedEnvVars: ["PATTERNLOOP_TOKEN"],
          },
        ],
      },
    ]);
    expect(read().endsWith("}\n")).toBe(true);
    expect(readdirSync(join(project, ".claude"))).toEqual(["settings.json"]);
  });

  it("merges into a real-world project file, keeps everything, and a second run leaves it byte for byte", () => {
    const before = fixture("team-project.json");
    withSettings(before);
    expect(init()).toMatchObject({ ok: true, action: "update" });
    const once = read();
    const merged = JSON.parse(once);
    const original = JSON.parse(before);
    expect(Object.keys(merged)).toEqual(Object.keys(original));
    expect({ ...merged, hooks: undefined }).toEqual({ ...original, hooks: undefined });
    for (const [event, groups] of Object.entries(original.hooks))
      expect(merged.hooks[event].slice(0, (groups as unknown[]).length)).toEqual(groups);
    for (const event of PATTERNLOOP_EVENTS)
      expect(merged.hooks[event].at(-1).hooks.filter(isPatternloopHook)).toHaveLength(1);

    expect(init()).toMatchObject({ ok: true, action: "unchanged", text: once });
    expect(read()).toBe(once);
    expect(readdirSync(join(project, ".claude"))).toEqual(["settings.json"]);
  });

  it("--remove gives back the file as it was before init, byte for byte", () => {
    const before = fixture("team-project.json");
    withSettings(before);
    init();
    expect(init({ remove: true })).toMatchObject({ ok: true, action: "update", events: [] });
    expect(read()).toBe(before);
    expect(init({ remove: true })).toMatchObject({ ok: true, action: "unchanged" });
    expect(read()).toBe(before);
  });

  it("--remove deletes the file init created, and then has nothing to do", () => {
    init();
    expect(init({ remove: true })).toMatchObject({ ok: true, action: "delete" });
    expect(existsSync(settingsPath)).toBe(false);
    expect(init({ remove: true })).toMatchObject({ ok: true, action: "unchanged", text: "" });
  });

  it("keeps the file's own layout: four spaces and no final newline", () => {
    const before = fixture("user-four-spaces.json");
    withSettings(before);
    init();
    expect(read()).toMatch(/^\{\n {4}"permissions": \{\n {8}"allow": \[/);
    expect(read().endsWith("}")).toBe(true);
    init({ remove: true });
    expect(read()).toBe(before);
  });

  it("replaces hooks patternloop's README suggested before, with their literal token, where they are", () => {
    withSettings(fixture("before-init.json"));
    init();
    const text = read();
    expect(text).not.toContain("change-me");
    const hooks = JSON.parse(text).hooks;
    expect(hooks.UserPromptSubmit).toHaveLength(1);
    expect(hooks.UserPromptSubmit[0].hooks[0]).toEqual({
      type: "command",
      command: "cat .claude/context.md",
    });
    expect(hooks.UserPromptSubmit[0].hooks[1].headers).toEqual({
      Authorization: "Bearer $PATTERNLOOP_TOKEN",
    });
    expect(hooks.PostToolUse).toHaveLength(1);
    init({ remove: true });
    expect(JSON.parse(read())).toEqual({
      hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: "cat .claude/context.md" }] }] },
    });
  });

  it("points the hooks at a new URL in place when run again with another --url", () => {
    const before = fixture("team-project.json");
    withSettings(before);
    init();
    const url = "https://patternloop.internal.example/v1/hooks/claude-code";
    expect(init({ url })).toMatchObject({ ok: true, action: "update" });
    const hooks = JSON.parse(read()).hooks;
    for (const event of PATTERNLOOP_EVENTS) {
      const ours = hooks[event]
        .flatMap((group: { hooks: object[] }) => group.hooks)
        .filter(isPatternloopHook);
      expect(ours.map((handler: { url: string }) => handler.url)).toEqual([url]);
    }
    init({ url, remove: true });
    expect(read()).toBe(before);
  });

  it("--dry-run works out the result and writes nothing", () => {
    const dry = init({ dryRun: true });
    expect(dry).toMatchObject({ ok: true, action: "create" });
    expect(existsSync(join(project, ".claude"))).toBe(false);
    const before = fixture("team-project.json");
    withSettings(before);
    const result = init({ dryRun: true });
    expect(result.ok && JSON.parse(result.text).hooks.SessionEnd).toHaveLength(2);
    expect(read()).toBe(before);
  });

  it("refuses settings that are not JSON, in one line, and leaves the file untouched", () => {
    const broken = '{\n  "permissions": {\n    "allow": ["Bash(ls:*)",]\n  }\n}\n';
    withSettings(broken);
    for (const remove of [false, true]) {
      const result = init({ remove });
      expect(result).toEqual({
        ok: false,
        problem: `${settingsPath} is not valid JSON (line 3, column 28); nothing written`,
      });
      expect(read()).toBe(broken);
    }
    withSettings('["not", "settings"]');
    expect(init()).toEqual({ ok: false, problem: `${settingsPath} is not a JSON object; nothing written` });
    withSettings('{"hooks": {"Stop": "say done"}}');
    expect(init()).toEqual({
      ok: false,
      problem: `${settingsPath} has a \`hooks.Stop\` that is not a list; nothing written`,
    });
  });

  it("refuses a URL that is not http(s) and a project directory that is not there", () => {
    expect(init({ url: "127.0.0.1:8787" })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("--url"),
    });
    expect(init({ url: "file:///tmp/x" })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("http"),
    });
    expect(init({ projectDir: join(project, "missing") })).toMatchObject({
      ok: false,
      problem: `${join(project, "missing")}: no such directory`,
    });
    expect(existsSync(join(project, ".claude"))).toBe(false);
  });

  it("falls back to command hooks for a Claude Code older than 2.1.63, and says so", () => {
    const result = init({ detect: claude("2.1.40") });
    expect(result).toMatchObject({ ok: true, kind: "command" });
    if (!result.ok) return;
    expect(result.notes).toEqual([
      "Claude Code 2.1.40 predates http hooks (2.1.63): writing command hooks that post with curl",
      "left out StopFailure: Claude Code 2.1.40 predates it (2.1.78) and would skip a settings file naming it; run init again after upgrading",
    ]);
    const hooks = JSON.parse(read()).hooks;
    expect(Object.keys(hooks)).toEqual([
      "UserPromptSubmit",
      "PostToolUse",
      "PostToolUseFailure",
      "Stop",
      "SessionEnd",
    ]);
    expect(hooks.Stop[0].hooks[0].type).toBe("command");
    // After an upgrade the same command puts http hooks in their place and adds the event left out.
    expect(init()).toMatchObject({ ok: true, kind: "http", action: "update" });
    expect(JSON.parse(read()).hooks.Stop).toEqual([{ hooks: [expect.objectContaining({ type: "http" })] }]);
  });

  it("writes http hooks when `claude` is not on PATH, and says so", () => {
    const result = init({ detect: noClaude });
    expect(result).toMatchObject({ ok: true, kind: "http", events: PATTERNLOOP_EVENTS });
    expect(result.ok && result.notes).toEqual([
      "`claude` is not on PATH: cannot check the Claude Code version; writing http hooks, which need Claude Code 2.1.63 or later (--command for older versions)",
    ]);
  });

  it("writes command hooks when asked, even for a Claude Code that has http hooks", () => {
    expect(init({ kind: "command", detect: claude("2.1.300") })).toMatchObject({
      ok: true,
      kind: "command",
      notes: [],
    });
    expect(JSON.parse(read()).hooks.UserPromptSubmit[0].hooks[0].command).toContain(
      "curl -s -o /dev/null -m 4",
    );
  });

  it("replaces the target of a symlinked settings file and keeps the link", () => {
    const dotfiles = mkdtempSync(join(tmpdir(), "patternloop-dotfiles-"));
    const real = join(dotfiles, "claude-settings.json");
    const before = fixture("team-project.json");
    writeFileSync(real, before);
    mkdirSync(join(project, ".claude"));
    symlinkSync(real, settingsPath);
    init();
    expect(lstatSync(settingsPath).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toContain("PATTERNLOOP_TOKEN");
    init({ remove: true });
    expect(readFileSync(real, "utf8")).toBe(before);
  });
});

describe("initClaudeCode --user", () => {
  let home: string | undefined;
  beforeEach(() => {
    home = process.env.HOME;
  });
  afterEach(() => {
    process.env.HOME = home;
  });

  it("writes ~/.claude/settings.json of the HOME it runs with, and not the project's", () => {
    const fakeHome = mkdtempSync(join(tmpdir(), "patternloop-home-"));
    process.env.HOME = fakeHome;
    const result = init({ user: true });
    expect(result).toMatchObject({
      ok: true,
      action: "create",
      path: join(fakeHome, ".claude", "settings.json"),
    });
    expect(
      JSON.parse(readFileSync(join(fakeHome, ".claude", "settings.json"), "utf8")).hooks.Stop,
    ).toHaveLength(1);
    expect(existsSync(settingsPath)).toBe(false);
  });
});
