import { describe, expect, it } from "vitest";
import { findUnstorableText, mayHoldUnstorableText, unstorableTextIn } from "./unstorable-text.js";

const NUL = "contains a NUL character (\\u0000)";

describe("unstorableTextIn", () => {
  it("refuses a NUL and a lone surrogate of either half, and keeps a surrogate pair", () => {
    expect(unstorableTextIn("wf-\u0000x")).toBe(NUL);
    expect(unstorableTextIn("wf-\ud800-x")).toBe(
      "contains a lone surrogate (\\ud800), which is not Unicode text",
    );
    expect(unstorableTextIn("\udfff")).toBe("contains a lone surrogate (\\udfff), which is not Unicode text");
    expect(unstorableTextIn("\ude00\ud83d")).toMatch(/lone surrogate \(\\ude00\)/);
    expect(unstorableTextIn("fix the 😀 test, \u001b[31m red \u202e")).toBeUndefined();
    expect(unstorableTextIn("")).toBeUndefined();
  });
});

describe("findUnstorableText", () => {
  it("names the path of the first bad string, through objects and arrays", () => {
    const record = {
      workflow_id: "wf-1",
      tool_calls: [
        { tool_name: "Bash" },
        { tool_name: "Bash", tool_input: { command: "ls\u0000", other: "\ud800" } },
      ],
    };
    expect(findUnstorableText(record)).toEqual({ path: "tool_calls.1.tool_input.command", message: NUL });
    expect(findUnstorableText("\ud800")).toMatchObject({ path: "" });
    expect(findUnstorableText(["ok", ["\u0000"]])).toEqual({ path: "1.0", message: NUL });
  });

  it("looks at keys too, in document order, and names a bad key escaped", () => {
    expect(findUnstorableText({ a: "fine", "b\u0000\n": 1, c: "\u0000" })).toEqual({
      path: "b\\u0000\\n",
      message: `its name ${NUL}`,
    });
    expect(findUnstorableText({ a: "\u0000", "b\u0000": 1 })).toEqual({ path: "a", message: NUL });
    expect(findUnstorableText({ input: { "\udc00": true } })).toMatchObject({
      path: "input.\\udc00",
      message: expect.stringMatching(/^its name contains a lone surrogate/),
    });
  });

  it("passes values with nothing to refuse, and numbers, booleans and null", () => {
    expect(findUnstorableText({ n: 1, b: true, z: null, s: "😀\t\n", list: [1, "x", {}] })).toBeUndefined();
    expect(findUnstorableText(undefined)).toBeUndefined();
  });

  it("walks 100,000 levels of nesting without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    expect(findUnstorableText(deep)?.message).toBe(NUL);
  });
});

describe("mayHoldUnstorableText", () => {
  it("is true for JSON text with an escape of a NUL or a surrogate, false for any other", () => {
    for (const text of ['{"a":"\\u0000"}', '["\\uD800"]', '"\\udfff"', '"\\ud83d\\ude00"'])
      expect(mayHoldUnstorableText(text), text).toBe(true);
    for (const text of ['{"a":"\\u001b[31m"}', '"\\u00e9 😀"', '"\\\\"', "{}"])
      expect(mayHoldUnstorableText(text), text).toBe(false);
  });

  it("is true whenever JSON.parse of the text gives a string that unstorableTextIn refuses", () => {
    for (const text of ['"\\u0000"', '"\\ud800"', '"\\uDC00x"', '{"\\u0000":1}'])
      expect(findUnstorableText(JSON.parse(text)) !== undefined && mayHoldUnstorableText(text), text).toBe(
        true,
      );
  });
});
