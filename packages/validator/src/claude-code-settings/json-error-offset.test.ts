import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "./json-error-offset.js";

describe("jsonErrorOffset", () => {
  it("finds where the text stops being JSON", () => {
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset("{ not json")).toBe(2);
    expect(jsonErrorOffset('{"a": "x\ny"}')).toBe(8);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": ')).toBe(6);
    expect(jsonErrorOffset("")).toBe(0);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('"\\x"')).toBe(2);
  });

  it("agrees with JSON.parse on what is JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.string({ maxLength: 2 }), (value, cut, noise) => {
        const text = JSON.stringify(value, null, 2);
        expect(jsonErrorOffset(text)).toBeUndefined();
        const at = cut % (text.length + 1);
        const broken = text.slice(0, at) + noise + text.slice(at);
        let valid = true;
        try {
          JSON.parse(broken);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(broken) === undefined).toBe(valid);
      }),
    );
  });
});
