import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chargePatterns } from "./cost-attribution.js";
import { detectPatterns } from "./detection/detect-patterns.js";
import type { ToolCall, WorkflowRecord } from "./workflow-record.js";

const call = (command: string, tokens: [number, number, number, number], cost: number | null): ToolCall => ({
  tool_name: "Bash",
  tool_input: { command },
  usage: {
    input_tokens: tokens[0],
    output_tokens: tokens[1],
    cache_read_tokens: tokens[2],
    cache_creation_tokens: tokens[3],
    cost_usd: cost,
  },
});

describe("chargePatterns", () => {
  it("charges each pattern its own tool calls, splitting a call two patterns share (worked example)", () => {
    const record: WorkflowRecord = {
      total_tokens: 100_000,
      actual_cost_total: 1,
      error_message: "eslint found 4 problems",
      tool_calls: [
        call("cd app/server && uv run pytest -q", [100, 400, 5_000, 500], 0.02),
        call("pytest -x && git diff --stat", [200, 600, 8_000, 1_200], 0.04),
        { tool_name: "Read", tool_input: { file_path: "a.ts" } },
      ],
    };
    const patterns = detectPatterns(record);
    expect(patterns.map((p) => p.signature)).toEqual([
      "format:eslint:all",
      "git:diff:summary",
      "test:pytest:backend",
    ]);
    const [eslint, diff, pytest] = chargePatterns(record, patterns);
    // pytest: all of call 1 (6,000 tokens, $0.02) and half of call 2 (10,000 / 2 tokens, $0.04 / 2).
    expect(pytest).toEqual({ tokens: 6_000 + 5_000, cost: 0.02 + 0.02, attribution: "tool_calls" });
    // git diff: the other half of call 2.
    expect(diff).toEqual({ tokens: 5_000, cost: 0.02, attribution: "tool_calls" });
    // eslint came from the error message, no tool call: it shares what is left of the run.
    expect(eslint?.attribution).toBe("share");
    expect(eslint?.tokens).toBe(100_000 - 16_000);
    expect(eslint?.cost).toBeCloseTo(1 - 0.06, 12);
  });

  it("splits the run's totals evenly without per-call usage", () => {
    const record: WorkflowRecord = {
      total_tokens: 9_001,
      actual_cost_total: 0.9,
      tool_calls: [{ tool_name: "Bash", tool_input: { command: "pytest && git status && npm ci" } }],
    };
    const charges = chargePatterns(record, detectPatterns(record));
    expect(charges.map((c) => c.tokens)).toEqual([3_000, 3_000, 3_000]);
    expect(charges.every((c) => c.attribution === "share")).toBe(true);
  });

  it("never charges a run's patterns more than the run cost", () => {
    const commands = ["pytest", "git status", "npm run build", "npx tsc --noEmit && git diff", "ls"];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            command: fc.constantFrom(...commands),
            tokens: fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(50_000), fc.nat(5000)),
            cost: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 8 },
        ),
        fc.boolean(),
        (calls, withError) => {
          const tool_calls = calls.map((c) => call(c.command, c.tokens, c.cost));
          const total_tokens = tool_calls.reduce(
            (sum, c) =>
              sum +
              (c.usage
                ? c.usage.input_tokens +
                  c.usage.output_tokens +
                  c.usage.cache_read_tokens +
                  c.usage.cache_creation_tokens
                : 0),
            0,
          );
          const actual_cost_total = calls.reduce((sum, c) => sum + c.cost, 0);
          const record: WorkflowRecord = {
            total_tokens,
            actual_cost_total,
            tool_calls,
            error_message: withError ? "eslint found problems" : null,
          };
          const charges = chargePatterns(record, detectPatterns(record));
          expect(charges.reduce((sum, c) => sum + (c.tokens ?? 0), 0)).toBeLessThanOrEqual(total_tokens);
          expect(charges.reduce((sum, c) => sum + (c.cost ?? 0), 0)).toBeLessThanOrEqual(
            actual_cost_total * (1 + 1e-9) + 1e-12,
          );
        },
      ),
    );
  });
});
