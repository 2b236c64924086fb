import { describe, expect, it } from "vitest";
import { createCappedLog } from "./capped-log.js";

describe("createCappedLog", () => {
  const capped = () => {
    const lines: string[] = [];
    const log = createCappedLog((line) => lines.push(line), {
      first: 3,
      more: (held) => `… and ${held} more problems`,
    });
    return { lines, log };
  };

  it("passes the first lines on, then closes with one count of the rest", () => {
    const { lines, log } = capped();
    for (let i = 1; i <= 10; i++) log.write(`problem ${i}`);
    log.flush();
    expect(lines).toEqual(["problem 1", "problem 2", "problem 3", "… and 7 more problems"]);
  });

  it("writes no count when nothing was held back", () => {
    const { lines, log } = capped();
    log.write("only one");
    log.flush();
    expect(lines).toEqual(["only one"]);
  });

  it("starts again after a flush", () => {
    const { lines, log } = capped();
    for (let i = 1; i <= 4; i++) log.write(`a${i}`);
    log.flush();
    for (let i = 1; i <= 5; i++) log.write(`b${i}`);
    log.flush();
    expect(lines).toEqual([
      "a1",
      "a2",
      "a3",
      "… and 1 more problems",
      "b1",
      "b2",
      "b3",
      "… and 2 more problems",
    ]);
  });
});
