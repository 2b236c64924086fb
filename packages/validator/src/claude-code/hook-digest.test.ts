import { describe, expect, it } from "vitest";
import { arrivalOrderDigest, canonicalJson, hookDigest } from "./hook-digest.js";

describe("hookDigest", () => {
  const payload = {
    session_id: "s",
    hook_event_name: "PostToolUse",
    tool_input: { command: "ls", description: "list" },
    tool_response: { stdout: "a\nb", lines: [2, { z: 1, a: null }] },
  };
  const reordered = {
    tool_response: { lines: [2, { a: null, z: 1 }], stdout: "a\nb" },
    tool_input: { description: "list", command: "ls" },
    hook_event_name: "PostToolUse",
    session_id: "s",
  };

  it("is the same for the same content in any key order, at every level", () => {
    expect(hookDigest(reordered)).toBe(hookDigest(payload));
    expect(hookDigest(JSON.parse(` { "session_id" : "s", "n": 1.0 }`))).toBe(
      hookDigest({ n: 1, session_id: "s" }),
    );
    expect(arrivalOrderDigest(reordered)).not.toBe(arrivalOrderDigest(payload));
  });

  it("differs when the content does, array order included", () => {
    const other = { ...payload, tool_response: { stdout: "a\nb", lines: [{ z: 1, a: null }, 2] } };
    expect(hookDigest(other)).not.toBe(hookDigest(payload));
    expect(hookDigest({ ...payload, tool_input: { command: "ls " } })).not.toBe(hookDigest(payload));
  });

  it("writes JSON with sorted keys that reads back as the same value", () => {
    const text = canonicalJson(payload);
    expect(text).toBe(
      '{"hook_event_name":"PostToolUse","session_id":"s","tool_input":{"command":"ls","description":"list"},' +
        '"tool_response":{"lines":[2,{"a":null,"z":1}],"stdout":"a\\nb"}}',
    );
    expect(JSON.parse(text)).toEqual(payload);
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe(
      JSON.stringify({ a: undefined, b: [undefined] }),
    );
  });
});
