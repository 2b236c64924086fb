import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { expectRefusal } from "./support/refusal.js";
import { serveChild } from "./support/serve-child.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

const EVENTS = ["UserPromptSubmit", "PostToolUse", "PostToolUseFailure", "Stop", "StopFailure", "SessionEnd"];

/** A project's settings as people commit them: other tools' hooks, several matchers, permissions, env. */
const PROJECT_SETTINGS = `${JSON.stringify(
  {
    env: { DISABLE_TELEMETRY: "1" },
    permissions: { allow: ["Bash(npm test:*)"], deny: ["Read(./.env)"] },
    hooks: {
      PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: ".claude/hooks/guard.sh" }] }],
      PostToolUse: [
        { matcher: "Edit|Write", hooks: [{ type: "command", command: "npx prettier --write" }] },
        { matcher: "Bash", hooks: [{ type: "command", command: "echo ran >> /tmp/log", timeout: 5 }] },
      ],
      Stop: [{ hooks: [{ type: "command", command: "say done" }] }],
    },
    statusLine: { type: "command", command: "~/.claude/statusline.sh" },
    someFutureSetting: { nested: true },
  },
  null,
  2,
)}\n`;

/** A PATH with only a fake `claude` printing `version`, or with no `claude` at all. */
function pathWithClaude(version?: string): string {
  const bin = tempDirectory();
  if (version !== undefined) {
    writeFileSync(join(bin, "claude"), `#!/bin/sh\necho "${version} (Claude Code)"\n`);
    chmodSync(join(bin, "claude"), 0o755);
  }
  return bin;
}

function project(settings?: string): { dir: string; file: string } {
  const dir = tempDirectory();
  const file = join(dir, ".claude", "settings.json");
  if (settings !== undefined) {
    mkdirSync(join(dir, ".claude"));
    writeFileSync(file, settings);
  }
  return { dir, file };
}

function init(args: string[], options: { path?: string; cwd?: string; home?: string } = {}) {
  return runCli(["init", "claude-code", ...args], {
    env: {
      PATH: options.path ?? pathWithClaude(),
      HOME: options.home ?? tempDirectory(),
      PATTERNLOOP_TOKEN: "",
    },
    cwd: options.cwd,
  });
}

const hooksOf = (file: string) => JSON.parse(readFileSync(file, "utf8")).hooks;

describe("patternloop init claude-code", { timeout: 60_000 }, () => {
  it("merges http hooks into a project's settings; again changes nothing; --remove restores the file", () => {
    const { dir, file } = project(PROJECT_SETTINGS);
    const first = init(["--dir", dir]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`update    ${file}\n`);
    expect(first.stderr).toContain(
      "`claude` is not on PATH: cannot check the Claude Code version; writing http hooks",
    );
    const once = readFileSync(file, "utf8");
    const hooks = hooksOf(file);
    expect(Object.keys(hooks)).toEqual([
      "PreToolUse",
      "PostToolUse",
      "Stop",
      ...EVENTS.filter((e) => !["PostToolUse", "Stop"].includes(e)),
    ]);
    expect(hooks.PostToolUse.slice(0, 2)).toEqual(JSON.parse(PROJECT_SETTINGS).hooks.PostToolUse);
    expect(hooks.PostToolUse[2]).toEqual({
      matcher: "*",
      hooks: [
        {
          type: "http",
          url: "http://127.0.0.1:8787/v1/hooks/claude-code",
          timeout: 5,
          headers: { Authorization: "Bearer $PATTERNLOOP_TOKEN" },
          allowedEnvVars: ["PATTERNLOOP_TOKEN"],
        },
      ],
    });
    expect(hooks.SessionEnd[0].hooks[0].timeout).toBe(1.5);

    const second = init(["--dir", dir]);
    expect(second).toMatchObject({ status: 0, stdout: `unchanged ${file}\n` });
    expect(second.stderr).toContain("patternloop: nothing changed\n");
    expect(readFileSync(file, "utf8")).toBe(once);

    const removed = init(["--dir", dir, "--remove"]);
    expect(removed).toMatchObject({ status: 0, stdout: `update    ${file}\n` });
    expect(readFileSync(file, "utf8")).toBe(PROJECT_SETTINGS);
  });

  it("writes into the current directory by default, and --remove deletes the file it created", () => {
    const { dir, file } = project();
    expect(init([], { cwd: dir }).stdout).toBe(`create    ${file}\n`);
    expect(Object.keys(hooksOf(file))).toEqual(EVENTS);
    expect(readFileSync(file, "utf8")).not.toMatch(/Bearer [^$]/);
    expect(init(["--remove"], { cwd: dir }).stdout).toBe(`delete    ${file}\n`);
    expect(existsSync(file)).toBe(false);
  });

  it("--print shows the resulting settings on stdout and writes nothing", () => {
    const { dir, file } = project(PROJECT_SETTINGS);
    const printed = init(["--dir", dir, "--print"]);
    expect(printed.status).toBe(0);
    expect(JSON.parse(printed.stdout).hooks.StopFailure).toHaveLength(1);
    expect(printed.stderr).toContain(`${file} would be updated; nothing written`);
    expect(readFileSync(file, "utf8")).toBe(PROJECT_SETTINGS);
  });

  it("--user writes ~/.claude/settings.json of $HOME, and refuses --dir beside it", () => {
    const home = tempDirectory();
    const { dir, file } = project();
    const run = init(["--user"], { home, cwd: dir });
    expect(run.stdout).toBe(`create    ${join(home, ".claude", "settings.json")}\n`);
    expect(Object.keys(hooksOf(join(home, ".claude", "settings.json")))).toEqual(EVENTS);
    expect(existsSync(file)).toBe(false);
    expect(init(["--user", "--dir", dir], { home }).status).toBe(2);
  });

  it("picks command hooks for a Claude Code older than 2.1.63, and --command asks for them", () => {
    const old = project();
    const run = init(["--dir", old.dir], { path: pathWithClaude("2.1.40") });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("Claude Code 2.1.40 predates http hooks (2.1.63): writing command hooks");
    expect(run.stderr).toContain("left out StopFailure");
    const hooks = hooksOf(old.file);
    expect(Object.keys(hooks)).toEqual(EVENTS.filter((event) => event !== "StopFailure"));
    expect(hooks.UserPromptSubmit[0].hooks[0]).toMatchObject({ type: "command", timeout: 5 });

    const current = project();
    expect(init(["--dir", current.dir], { path: pathWithClaude("2.1.90") }).status).toBe(0);
    expect(hooksOf(current.file).Stop[0].hooks[0].type).toBe("http");
    expect(init(["--dir", current.dir, "--command"], { path: pathWithClaude("2.1.90") }).status).toBe(0);
    expect(hooksOf(current.file).Stop).toEqual([{ hooks: [expect.objectContaining({ type: "command" })] }]);
  });

  it("refuses a malformed settings file in one line, exit 2, leaving it untouched", () => {
    const broken = '{\n  "hooks": {\n    "Stop": [\n  }\n}\n';
    const { dir, file } = project(broken);
    for (const extra of [[], ["--remove"], ["--print"]]) {
      expectRefusal(
        init(["--dir", dir, ...extra]),
        `${file} is not valid JSON (line 4, column 3); nothing written`,
      );
      expect(readFileSync(file, "utf8")).toBe(broken);
    }
    expectRefusal(init(["--dir", dir, "--url", "localhost:8787"]), "--url");
  });
});

describe("the hooks init writes, against a running `patternloop serve`", { timeout: 60_000 }, () => {
  function runHookCommand(
    command: string,
    payload: object,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "sh",
        ["-c", command],
        { env: { PATH: process.env.PATH, PATTERNLOOP_TOKEN: "secret-token" }, timeout: 30_000 },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== "number") return reject(error);
          resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
        },
      );
      child.stdin?.end(JSON.stringify(payload));
    });
  }

  it("are accepted by the receiver: the http hook's URL and header, and the command hook's curl", async () => {
    const db = join(tempDirectory(), "history.sqlite");
    const { base } = await serveChild(db, "secret-token");
    const url = `${base}/v1/hooks/claude-code`;
    const payload = {
      session_id: "init-e2e",
      hook_event_name: "UserPromptSubmit",
      prompt: "run the tests",
      cwd: "/work/shop",
      transcript_path: "/tmp/t.jsonl",
    };

    const http = project();
    expect(init(["--dir", http.dir, "--url", url]).status).toBe(0);
    const handler = hooksOf(http.file).UserPromptSubmit[0].hooks[0];
    // What Claude Code does with an http hook: the listed variables filled into the headers, the input posted.
    const headers = Object.fromEntries(
      Object.entries(handler.headers as Record<string, string>).map(([name, value]) => [
        name,
        value.replace(
          /\$\{?PATTERNLOOP_TOKEN\}?/,
          handler.allowedEnvVars.includes("PATTERNLOOP_TOKEN") ? "secret-token" : "",
        ),
      ]),
    );
    const response = await fetch(handler.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(200);

    const command = project();
    expect(init(["--dir", command.dir, "--url", url, "--command"]).status).toBe(0);
    const hooks = hooksOf(command.file);
    const posted = await runHookCommand(hooks.PostToolUse[0].hooks[0].command, {
      session_id: "init-e2e",
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: "npm test" },
      tool_response: { stdout: "ok", stderr: "", interrupted: false },
      tool_use_id: "toolu_init_e2e",
    });
    expect(posted).toEqual({ code: 0, stdout: "", stderr: "" });
    // The receiver may finish storing after it answered: wait for the tool call, within a generous bound.
    await expect
      .poll(() => query(db, "SELECT count(*) AS n FROM workflow_tool_calls"), { timeout: 20_000 })
      .toEqual([{ n: 1 }]);
  });
});
