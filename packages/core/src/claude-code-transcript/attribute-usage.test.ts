import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseClaudeCodeTranscript } from "./parse-transcript.js";

const FIXTURE = fileURLToPath(
  new URL(
    "../../test/fixtures/transcripts/daniifrim__10-box-os__1a16b56e-507e-42df-8b47-84f2c46bd70d.jsonl",
    import.meta.url,
  ),
);

describe("per-tool-call usage, worked by hand on a real session (Claude Code 1.0.69, Sonnet 4)", () => {
  // The session's messages (last line of each; input / output / cache read / cache creation):
  //   msg …bNCY6A  3 /  114 / 16,486 /     0  issues Read #1 (PRD.md)
  //   msg …Z88t2p  6 /  410 / 16,486 / 4,008  reads Read #1's result, issues Task
  //   msg …vKKN2E  3 /  116 /  9,666 / 2,038  (subagent) issues Read #2
  //   msg …GzmmhD  6 / 2548 / 11,704 / 4,010  (subagent) reads Read #2's result, answers
  //   msg …2EwRJL  5 /  149 / 20,494 / 2,967  reads the Task's result, answers
  // A call gets what its issuing message did not spend reading results, plus the input and cache creation
  // of the message that read its own result.
  const run = parseClaudeCodeTranscript(readFileSync(FIXTURE, "utf8")).runs[0];
  const calls = run?.record.tool_calls ?? [];

  it("gives Read #1 all of …bNCY6A and the read-back of …Z88t2p", () => {
    // input 3 + 6, output 114, cache read 16,486, cache creation 0 + 4,008
    expect(calls[0]?.usage).toMatchObject({
      input_tokens: 9,
      output_tokens: 114,
      cache_read_tokens: 16_486,
      cache_creation_tokens: 4_008,
    });
    // $3/M input, $15/M output, $0.30/M cache read, $3.75/M cache write:
    // 9 × 3 + 114 × 15 + 16,486 × 0.3 + 4,008 × 3.75 = 27 + 1,710 + 4,945.8 + 15,030 = 21,712.8 µ$
    expect(calls[0]?.usage?.cost_usd).toBeCloseTo(0.0217128, 10);
  });

  it("gives the Task what …Z88t2p did not spend reading, and the read-back of …2EwRJL", () => {
    expect(calls[1]).toMatchObject({ tool_name: "Task", success: true });
    // output 410 and cache read 16,486 of …Z88t2p; input 5 and cache creation 2,967 of …2EwRJL
    expect(calls[1]?.usage).toMatchObject({
      input_tokens: 5,
      output_tokens: 410,
      cache_read_tokens: 16_486,
      cache_creation_tokens: 2_967,
    });
    // 15 + 6,150 + 4,945.8 + 11,126.25 µ$
    expect(calls[1]?.usage?.cost_usd).toBeCloseTo(0.02223705, 10);
  });

  it("gives the subagent's Read #2 all of …vKKN2E and the read-back of …GzmmhD", () => {
    expect(calls[2]?.usage).toMatchObject({
      input_tokens: 3 + 6,
      output_tokens: 116,
      cache_read_tokens: 9_666,
      cache_creation_tokens: 2_038 + 4_010,
    });
  });

  it("leaves the closing answers' output with the run alone", () => {
    const attributed = calls.reduce((sum, call) => sum + (call.usage?.output_tokens ?? 0), 0);
    expect(attributed).toBe(114 + 410 + 116);
    expect(run?.record.output_tokens).toBe(114 + 410 + 116 + 2548 + 149);
    expect(run?.record.input_tokens).toBe(23);
    expect(calls.reduce((sum, call) => sum + (call.usage?.input_tokens ?? 0), 0)).toBe(23);
  });
});

describe("per-tool-call usage, split evenly", () => {
  const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;
  const base = { sessionId: "s", isSidechain: false };
  const assistant = (
    second: number,
    uuid: string,
    parentUuid: string,
    id: string,
    usage: object,
    content: object[],
  ) =>
    JSON.stringify({
      ...base,
      type: "assistant",
      uuid,
      parentUuid,
      timestamp: at(second),
      message: { id, model: "claude-sonnet-4-5-20250929", role: "assistant", content, usage },
    });
  const user = (second: number, uuid: string, parentUuid: string | null, content: unknown) =>
    JSON.stringify({
      ...base,
      type: "user",
      uuid,
      parentUuid,
      timestamp: at(second),
      message: { role: "user", content },
    });
  const use = (id: string) => ({ type: "tool_use", id, name: "Bash", input: { command: `echo ${id}` } });
  const result = (id: string) => ({ type: "tool_result", tool_use_id: id, content: "ok" });

  it("splits a message over the calls it issued and the results it read, remainders to the first", () => {
    const text = [
      user(0, "p", null, "run the checks"),
      // m1 issues a and b: 10 input, 7 output, 100 cache read, 50 cache creation.
      assistant(1, "a1", "p", "m1", u(10, 7, 100, 50), [use("a"), use("b")]),
      user(2, "r1", "a1", [result("a"), result("b")]),
      // m2 reads a and b (input 11 and cache creation 5 split over them) and issues c, d and e
      // (output 8 and cache read 301 split over them).
      assistant(3, "a2", "r1", "m2", u(11, 8, 301, 5), [use("c"), use("d"), use("e")]),
      user(4, "r2", "a2", [result("c"), result("d"), result("e")]),
      // m3 reads c, d, e (input 2 and cache creation 0 split over them) and issues nothing.
      assistant(5, "a3", "r2", "m3", u(2, 40, 400, 0), [{ type: "text", text: "done" }]),
    ].join("\n");
    const run = parseClaudeCodeTranscript(text).runs[0];
    const usage = run?.record.tool_calls?.map((call) => [
      call.tool_use_id,
      call.usage?.input_tokens,
      call.usage?.output_tokens,
      call.usage?.cache_read_tokens,
      call.usage?.cache_creation_tokens,
    ]);
    expect(usage).toEqual([
      // m1 half (5, 4|3, 50, 25) + m2 read-back half (6|5, 0, 0, 3|2)
      ["a", 5 + 6, 4, 50, 25 + 3],
      ["b", 5 + 5, 3, 50, 25 + 2],
      // m2 third of output 8 (3, 3, 2) and cache read 301 (101, 100, 100) + m3 read-back third of input 2
      ["c", 1, 3, 101, 0],
      ["d", 1, 3, 100, 0],
      ["e", 0, 2, 100, 0],
    ]);
    expect(run?.record.total_tokens).toBe(167 + 325 + 442);
  });

  it("prices each part at its message's rates, including the long-context tier", () => {
    // 250k cache read puts the request in Sonnet 4.5's long-context tier: $0.60/M instead of $0.30/M.
    const text = [
      user(0, "p", null, "read the whole repo"),
      assistant(1, "a1", "p", "m1", u(0, 0, 250_000, 0), [use("a"), use("b")]),
    ].join("\n");
    const run = parseClaudeCodeTranscript(text).runs[0];
    expect(run?.record.actual_cost_total).toBeCloseTo(0.15, 12);
    expect(run?.record.tool_calls?.map((call) => call.usage?.cost_usd)).toEqual([
      expect.closeTo(0.075, 12),
      expect.closeTo(0.075, 12),
    ]);
  });

  it("never gives a call usage of a request from a later run", () => {
    const text = [
      user(0, "p1", null, "first"),
      assistant(1, "a1", "p1", "m1", u(10, 10, 10, 10), [use("a")]),
      user(2, "r1", "a1", [result("a")]),
      user(3, "p2", "r1", "second"),
      assistant(4, "a2", "p2", "m2", u(1000, 1000, 1000, 1000), []),
    ].join("\n");
    const [first] = parseClaudeCodeTranscript(text).runs;
    expect(first?.record.tool_calls?.[0]?.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 10,
      cache_read_tokens: 10,
      cache_creation_tokens: 10,
    });
  });
});

function u(input: number, output: number, cacheRead: number, cacheCreation: number) {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheCreation,
  };
}
