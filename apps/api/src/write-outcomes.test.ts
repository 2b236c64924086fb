import { PatternloopDbError } from "@patternloop/db";
import { describe, expect, it } from "vitest";
import { createWriteOutcomes } from "./write-outcomes.js";

describe("createWriteOutcomes", () => {
  let clock = 0;
  const now = () => new Date(Date.UTC(2025, 0, 1, 0, 0, clock++));

  it("reports the last failure until a write succeeds, and when that was", () => {
    const outcomes = createWriteOutcomes(now);
    expect(outcomes.failing()).toBeUndefined();
    outcomes.succeeded();
    const firstSuccess = outcomes.lastSuccessAt();
    outcomes.failed(new PatternloopDbError("busy", "database is busy\nsecond line"));
    outcomes.failed(new PatternloopDbError("disk_full", "cannot write: the disk is full"));
    expect(outcomes.failing()).toEqual({
      code: "disk_full",
      message: "cannot write: the disk is full",
      at: expect.any(String),
    });
    expect(outcomes.lastSuccessAt()).toBe(firstSuccess);
    outcomes.succeeded();
    expect(outcomes.failing()).toBeUndefined();
    expect(outcomes.lastSuccessAt()).not.toBe(firstSuccess);
  });

  it("forgets the failure once storage is found working, without counting that as a write", () => {
    const outcomes = createWriteOutcomes(now);
    outcomes.failed(new PatternloopDbError("read_only", "cannot write: it is read-only"));
    outcomes.recovered();
    expect(outcomes.failing()).toBeUndefined();
    expect(outcomes.lastSuccessAt()).toBeUndefined();
  });
});
