import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type HookEntry, type HookOwnership, mergeHooks, removeHooks } from "./hook-entries.js";
import type { JsonObject } from "./settings-document.js";

const TEAM: JsonObject = JSON.parse(
  readFileSync(new URL("./fixtures/team-project.json", import.meta.url), "utf8"),
);

const AUDIT = "https://audit.example/hook";
const ours: HookOwnership = { isOurs: (handler) => handler.url === AUDIT, whenDifferent: "replace" };
const handler = (timeout: number): JsonObject => ({ type: "http", url: AUDIT, timeout });
const ENTRIES: HookEntry[] = [
  { event: "PostToolUse", matcher: "*", handler: handler(5) },
  { event: "Stop", handler: handler(10) },
  { event: "StopFailure", handler: handler(10) },
];

function merged(settings: JsonObject, entries = ENTRIES, ownership = ours): JsonObject {
  const result = mergeHooks(settings, entries, ownership);
  if (!result.ok) throw new Error(result.problem);
  return result.settings;
}

describe("mergeHooks", () => {
  it("adds a group at the end of each event, keeping every other hook, matcher, permission and key", () => {
    const result = merged(TEAM);
    const hooks = TEAM.hooks as Record<string, unknown[]>;
    expect(result).toEqual({
      ...TEAM,
      hooks: {
        ...hooks,
        PostToolUse: [...(hooks.PostToolUse ?? []), { matcher: "*", hooks: [handler(5)] }],
        Stop: [...(hooks.Stop ?? []), { hooks: [handler(10)] }],
        StopFailure: [{ hooks: [handler(10)] }],
      },
    });
    expect(Object.keys(result)).toEqual(Object.keys(TEAM));
    expect(TEAM.hooks).toEqual(hooks);
  });

  it("changes nothing the second time", () => {
    const once = merged(TEAM);
    expect(mergeHooks(once, ENTRIES, ours)).toEqual({ ok: true, settings: once, changed: false });
  });

  it("replaces one of ours that differs where it is, and drops our duplicates", () => {
    const settings: JsonObject = {
      hooks: {
        Stop: [
          { hooks: [{ type: "command", command: "say done" }, handler(3)] },
          { hooks: [{ type: "command", command: "say again" }] },
          { hooks: [handler(3)] },
        ],
      },
    };
    expect(merged(settings, [{ event: "Stop", handler: handler(10) }])).toEqual({
      hooks: {
        Stop: [
          { hooks: [{ type: "command", command: "say done" }, handler(10)] },
          { hooks: [{ type: "command", command: "say again" }] },
        ],
      },
    });
  });

  it("keeps one of ours that differs when told to", () => {
    const settings: JsonObject = { hooks: { Stop: [{ hooks: [handler(3)] }] } };
    const result = mergeHooks(settings, [{ event: "Stop", handler: handler(10) }], {
      ...ours,
      whenDifferent: "keep",
    });
    expect(result).toEqual({ ok: true, settings, changed: false });
  });

  it("refuses hooks of a shape it cannot merge into", () => {
    expect(mergeHooks({ hooks: [] }, ENTRIES, ours)).toEqual({
      ok: false,
      problem: "has a `hooks` that is not an object",
    });
    expect(mergeHooks({ hooks: { Stop: {} } }, ENTRIES, ours)).toEqual({
      ok: false,
      problem: "has a `hooks.Stop` that is not a list",
    });
  });
});

describe("removeHooks", () => {
  it("gives back the settings as they were before the merge", () => {
    const result = removeHooks(merged(TEAM), ours);
    expect(result).toEqual({ ok: true, settings: TEAM, changed: true });
    if (result.ok) expect(JSON.stringify(result.settings)).toBe(JSON.stringify(TEAM));
  });

  it("takes ours out of a group shared with another hook, leaving that hook", () => {
    const settings: JsonObject = {
      hooks: { Stop: [{ hooks: [{ type: "command", command: "x" }, handler(1)] }] },
    };
    expect(removeHooks(settings, ours)).toEqual({
      ok: true,
      settings: { hooks: { Stop: [{ hooks: [{ type: "command", command: "x" }] }] } },
      changed: true,
    });
  });

  it("leaves groups and events that were empty before alone, and changes nothing without ours", () => {
    const settings: JsonObject = { hooks: { Stop: [{ hooks: [] }], PreCompact: [] } };
    expect(removeHooks(merged(settings), ours)).toEqual({ ok: true, settings, changed: true });
    expect(removeHooks(TEAM, ours)).toEqual({ ok: true, settings: TEAM, changed: false });
    expect(removeHooks({ model: "opus" }, ours)).toEqual({
      ok: true,
      settings: { model: "opus" },
      changed: false,
    });
  });
});
