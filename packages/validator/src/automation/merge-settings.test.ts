import { describe, expect, it } from "vitest";
import { mergeSteeringHook } from "./merge-settings.js";

const HOOK = {
  command: '"$CLAUDE_PROJECT_DIR"/.claude/skills/test-x/steer.sh',
  marker: ".claude/skills/test-x/steer.sh",
  allow: "Bash(.claude/skills/test-x/run.sh:*)",
};

const EXISTING = {
  model: "opus",
  env: { FOO: "1" },
  permissions: { allow: ["Bash(npm run lint:*)"], deny: ["Read(./.env)"] },
  hooks: {
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./guard.sh" }] }],
    PostToolUse: [{ matcher: "Edit|Write", hooks: [{ type: "command", command: "npx prettier --write" }] }],
  },
};

describe("mergeSteeringHook", () => {
  it("adds the hook and the allow rule, keeping every existing setting, hook and permission", () => {
    const merged = mergeSteeringHook(JSON.stringify(EXISTING), HOOK);
    if (!merged.ok) throw new Error(merged.problem);
    expect(merged.changed).toBe(true);
    expect(JSON.parse(merged.text)).toEqual({
      ...EXISTING,
      permissions: { allow: ["Bash(npm run lint:*)", HOOK.allow], deny: ["Read(./.env)"] },
      hooks: {
        ...EXISTING.hooks,
        PreToolUse: [
          ...EXISTING.hooks.PreToolUse,
          { matcher: "Bash", hooks: [{ type: "command", command: HOOK.command, timeout: 10 }] },
        ],
      },
    });
  });

  it("changes nothing the second time, nor when the user reworded the hook", () => {
    const first = mergeSteeringHook(undefined, HOOK);
    if (!first.ok) throw new Error(first.problem);
    expect(mergeSteeringHook(first.text, HOOK)).toEqual({ ok: true, text: first.text, changed: false });
    const reworded = first.text.replace('"$CLAUDE_PROJECT_DIR"/', "bash ");
    expect(mergeSteeringHook(reworded, HOOK)).toEqual({ ok: true, text: reworded, changed: false });
  });

  it("refuses settings it cannot merge into without replacing them", () => {
    expect(mergeSteeringHook("{ not json", HOOK)).toEqual({
      ok: false,
      problem: "is not valid JSON (line 1, column 3)",
    });
    expect(mergeSteeringHook("[]", HOOK)).toMatchObject({ ok: false, problem: "is not a JSON object" });
    expect(mergeSteeringHook('{"hooks": {"PreToolUse": {}}}', HOOK)).toMatchObject({ ok: false });
  });
});
