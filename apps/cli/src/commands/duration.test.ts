import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads a number and a unit", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("250ms")).toBe(250);
  });

  it("refuses anything else", () => {
    for (const text of ["", "30", "m", "0m", "-5m", "5 minutes", "1e3s", "5d"])
      expect(parseDuration(text), text).toBeUndefined();
  });
});
