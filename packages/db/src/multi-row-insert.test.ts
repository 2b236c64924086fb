import { describe, expect, it } from "vitest";
import { chunkSizes, INSERT_CHUNK, multiRowInsertWriter, wholeChunkSizes } from "./multi-row-insert.js";

describe("insert chunk sizes", () => {
  it("cover every row: powers of two after full chunks, or one statement for the rest", () => {
    for (const rows of [0, 1, 60, INSERT_CHUNK, INSERT_CHUNK + 1, 1_100]) {
      const sum = (sizes: number[]) => sizes.reduce((total, size) => total + size, 0);
      expect(sum(chunkSizes(rows))).toBe(rows);
      expect(sum(wholeChunkSizes(rows))).toBe(rows);
    }
    expect(chunkSizes(60)).toEqual([32, 16, 8, 4]);
    expect(wholeChunkSizes(60)).toEqual([60]);
    expect(wholeChunkSizes(1_100)).toEqual([INSERT_CHUNK, INSERT_CHUNK, 76]);
  });

  it("writes the text of any size, the same each time", () => {
    const write = multiRowInsertWriter((index) => `$${index + 1}`);
    expect(write("t", ["a", "b"], 3, "")).toBe("insert into t (a, b) values ($1, $2), ($3, $4), ($5, $6) ");
    expect(write("t", ["a", "b"], 3, "")).toBe(write("t", ["a", "b"], 3, ""));
  });
});
