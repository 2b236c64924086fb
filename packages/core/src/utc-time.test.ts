import { describe, expect, it } from "vitest";
import { toUtcIso } from "./utc-time.js";

describe("toUtcIso", () => {
  it("turns any zone into UTC, so text order is time order", () => {
    expect(toUtcIso("2026-01-05T09:00:00+05:00")).toBe("2026-01-05T04:00:00.000Z");
    expect(toUtcIso("2026-01-05T06:00:00Z")).toBe("2026-01-05T06:00:00.000Z");
    expect(String(toUtcIso("2026-01-05T09:00:00.5Z")) > String(toUtcIso("2026-01-05T09:00:00Z"))).toBe(true);
  });

  it("reads a time without a zone as UTC, and a date as its midnight", () => {
    expect(toUtcIso("2025-03-01 10:00:00")).toBe("2025-03-01T10:00:00.000Z");
    expect(toUtcIso("2025-03-01")).toBe("2025-03-01T00:00:00.000Z");
  });

  it("is null for nothing or nonsense", () => {
    for (const value of [null, undefined, "", "  ", "yesterday", "2025-13-45"])
      expect(toUtcIso(value)).toBeNull();
  });
});
