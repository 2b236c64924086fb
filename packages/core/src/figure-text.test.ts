import { describe, expect, it } from "vitest";
import { count, day, percent, usd } from "./figure-text.js";

describe("figure text", () => {
  it("money: separators, four decimals under a cent, the sign before the dollar", () => {
    expect(usd(1234.567)).toBe("$1,234.57");
    expect(usd(0.0042)).toBe("$0.0042");
    expect(usd(0)).toBe("$0.00");
    expect(usd(-3.1)).toBe("-$3.10");
    expect(usd(null)).toBe("-");
  });

  it("counts, ratios and days", () => {
    expect(count(12345.4)).toBe("12,345");
    expect(percent(2 / 3)).toBe("66.7%");
    expect(day("2026-01-03T10:00:00.000Z")).toBe("2026-01-03");
    expect([count(undefined), percent(null), day(null)]).toEqual(["-", "-", "-"]);
  });
});
