import { describe, expect, it } from "vitest";
import { IN_LIST_SIZE, inChunks } from "./in-chunks.js";

describe("inChunks", () => {
  it("yields nothing for an empty list", () => {
    expect([...inChunks([])]).toEqual([]);
  });

  it("slices in order, the last slice shorter", () => {
    const list = Array.from({ length: 1_001 }, (_, i) => i);
    const chunks = [...inChunks(list, 500)];
    expect(chunks.map((chunk) => chunk.length)).toEqual([500, 500, 1]);
    expect(chunks.flat()).toEqual(list);
  });

  it("leaves no empty slice after an exact multiple", () => {
    const list = Array.from({ length: 2 * IN_LIST_SIZE }, (_, i) => i);
    expect([...inChunks(list)].map((chunk) => chunk.length)).toEqual([IN_LIST_SIZE, IN_LIST_SIZE]);
  });

  it("refuses a size that is not a whole number of at least 1", () => {
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => [...inChunks([1, 2, 3], size)]).toThrow(RangeError);
  });
});
