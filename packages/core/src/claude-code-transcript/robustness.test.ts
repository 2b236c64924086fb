import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClaudeCodeTranscript } from "./parse-transcript.js";

const FIXTURE = fileURLToPath(
  new URL(
    "../../test/fixtures/transcripts/Johannes0501__openshrooly__5ecdf49b-d3ef-4240-be4b-5e265fc89ea0.jsonl",
    import.meta.url,
  ),
);
const real = readFileSync(FIXTURE, "utf8");

describe("a damaged or odd transcript never throws", () => {
  it("reads nothing from an empty text", () => {
    for (const text of ["", "\n", "\r\n\r\n", "   "]) {
      const parsed = parseClaudeCodeTranscript(text);
      expect(parsed.runs).toEqual([]);
      expect(parsed.lines).toBe(0);
      expect(parsed.skipped).toEqual({});
    }
  });

  it("counts a truncated last line (a session still being written) and keeps the rest", () => {
    const whole = parseClaudeCodeTranscript(real);
    const lines = real.trimEnd().split("\n");
    const last = lines.at(-1) as string;
    const truncated = parseClaudeCodeTranscript(
      [...lines.slice(0, -1), last.slice(0, last.length / 2)].join("\n"),
    );
    expect(truncated.skipped.unparseable).toBe(1);
    expect(truncated.runs.length).toBe(whole.runs.length);
    expect(truncated.lines).toBe(whole.lines);
  });

  it("counts garbage, JSON that is not an object, and unknown line types", () => {
    const text = [
      "not json at all",
      "[1, 2, 3]",
      "42",
      "null",
      '{"type":"summary","summary":"Fixing tests","leafUuid":"x"}',
      '{"type":"file-history-snapshot","messageId":"m"}',
      '{"type":"queue-operation","operation":"enqueue"}',
      '{"type":"something-new-in-3.0","uuid":"u"}',
      '{"no":"type"}',
      real,
    ].join("\n");
    const parsed = parseClaudeCodeTranscript(text);
    expect(parsed.skipped).toMatchObject({
      unparseable: 4,
      summary: 1,
      "file-history-snapshot": 1,
      "queue-operation": 1,
      "something-new-in-3.0": 1,
      untyped: 1,
    });
    expect(parsed.runs.length).toBe(parseClaudeCodeTranscript(real).runs.length);
  });

  it("survives fields of the wrong type", () => {
    const odd = [
      { type: "user", message: { content: 5 } },
      { type: "user", message: "hello" },
      { type: "user", message: { content: [null, 1, "x", { type: "tool_result" }] } },
      { type: "user", uuid: "p", timestamp: "not a time", message: { content: "a prompt" } },
      {
        type: "assistant",
        message: { id: 7, content: "text", usage: { input_tokens: "12", output_tokens: -5 } },
      },
      {
        type: "assistant",
        message: { id: "m", content: [{ type: "tool_use" }, { type: "tool_use", id: 3 }] },
      },
      {
        type: "assistant",
        message: { id: "m2", usage: { input_tokens: Number.MAX_VALUE, cache_creation: 4 } },
      },
      { type: "assistant" },
      {
        type: "user",
        message: { content: [{ type: "tool_result", tool_use_id: "nowhere", is_error: "yes" }] },
      },
    ]
      .map((entry) => JSON.stringify(entry))
      .join("\n");
    const parsed = parseClaudeCodeTranscript(odd);
    expect(parsed.runs).toHaveLength(1);
    const record = parsed.runs[0]?.record;
    expect(record?.start_time).toBeNull();
    expect(record?.tool_calls?.map((call) => call.tool_name)).toEqual(["unknown", "unknown"]);
    expect(record?.output_tokens).toBe(0);
  });

  it("drops NUL characters, which no database stores as text", () => {
    const prompt = JSON.stringify({ type: "user", uuid: "p", message: { content: "run\u0000 the tests" } });
    expect(parseClaudeCodeTranscript(prompt).runs[0]?.record.nl_input).toBe("run the tests");
  });

  it("holds for any mix of real lines, cut lines and noise", () => {
    const lines = real.trimEnd().split("\n");
    const piece = fc.oneof(
      fc.constantFrom(...lines),
      fc.constantFrom(...lines).map((line) => line.slice(0, Math.floor(line.length / 3))),
      fc.string(),
      fc.json(),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const parsed = parseClaudeCodeTranscript(pieces.join("\n"));
        for (const run of parsed.runs) {
          const calls = run.record.tool_calls ?? [];
          const input = calls.reduce((sum, call) => sum + (call.usage?.input_tokens ?? 0), 0);
          expect(input).toBeLessThanOrEqual(run.record.input_tokens ?? 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
