import { describe, expect, it } from "vitest";
import { fitColumns, truncate, wrapText } from "./fit-width.js";

describe("fitting text to a width", () => {
  it("wraps a sentence at spaces, continuation lines indented two more", () => {
    const text = `  ${"word ".repeat(30).trim()}`;
    const lines = wrapText(text, 40).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines[0]?.startsWith("  word")).toBe(true);
    expect(lines[1]?.startsWith("    word")).toBe(true);
    expect(lines.join(" ").replace(/\s+/g, " ").trim()).toBe(text.trim());
  });

  it("leaves a short line alone and cuts a word longer than a line", () => {
    expect(wrapText("short", 40)).toBe("short");
    for (const line of wrapText(`a ${"x".repeat(80)}`, 40).split("\n"))
      expect(line.length).toBeLessThanOrEqual(40);
    expect(truncate("abcdef", 4)).toBe("abc…");
  });

  it("cuts the column with most to spare above its floor, never a column without one", () => {
    expect(fitColumns([4, 80, 30], [undefined, 30, 12], 6, 60)).toEqual([4, 34, 16]);
    expect(fitColumns([50, 50], [undefined, undefined], 4, 60)).toEqual([50, 50]);
  });
});
