import { describe, expect, it } from "vitest";
import { escapeLogText } from "./log-text.js";

describe("escapeLogText", () => {
  it("writes line breaks, ESC and other C0 and C1 controls as JSON escapes", () => {
    expect(escapeLogText("wf-1\n[validator] workflow forged\r\n")).toBe(
      "wf-1\\n[validator] workflow forged\\r\\n",
    );
    expect(escapeLogText("\u001b[31mred\u001b[0m\t\u0000\u0007\u007f\u0085\u009b")).toBe(
      "\\u001b[31mred\\u001b[0m\\t\\u0000\\u0007\\u007f\\u0085\\u009b",
    );
  });

  it("escapes bidirectional controls, line separators and lone surrogates", () => {
    expect(escapeLogText("a\u202eb\u2066c\u200fd\u061ce\u2028f\u2029")).toBe(
      "a\\u202eb\\u2066c\\u200fd\\u061ce\\u2028f\\u2029",
    );
    expect(escapeLogText("x\ud800y\udfff")).toBe("x\\ud800y\\udfff");
  });

  it("leaves printable text alone: accents, emoji, quotes and backslashes", () => {
    const text = 'café 😀 "quoted" C:\\Users\\me ümlaut 日本';
    expect(escapeLogText(text)).toBe(text);
  });

  it("never lets a line break through, whatever the input", () => {
    let all = "";
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    expect(escapeLogText(all)).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  });
});
