import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chargePatterns, describeAttribution, TOOL_CALL_SHARE_FACTOR } from "./cost-attribution.js";
import { detectPatterns } from "./detection/detect-patterns.js";
import { PatternloopCoreError } from "./errors.js";
import { occurrencesOfRun } from "./run-occurrences.js";
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
    // eslint came from the error message: no tool call of its own shows what it cost.
    expect(eslint).toEqual({ tokens: null, cost: null, attribution: null });
  });

  it("charges its share of the run's tool calls times the factor without per-call usage", () => {
    const record: WorkflowRecord = {
      total_tokens: 100_000,
      actual_cost_total: 2,
      tool_calls: [
        { tool_name: "Bash", tool_input: { command: "pytest && git diff --stat" } },
        { tool_name: "Read", tool_input: { file_path: "a.ts" } },
        { tool_name: "Edit", tool_input: { file_path: "a.ts" } },
        { tool_name: "Bash", tool_input: { command: "npm ci" } },
      ],
    };
    const patterns = detectPatterns(record);
    expect(patterns.map((p) => p.signature)).toEqual([
      "deps:npm:update",
      "git:diff:summary",
      "test:pytest:backend",
    ]);
    const [npm, diff, pytest] = chargePatterns(record, patterns, { toolCallShareFactor: 0.8 });
    // npm ci: 1 of the 4 calls; pytest and git diff: half of the call they share each.
    expect(npm).toEqual({ tokens: 20_000, cost: 0.8 * (1 / 4) * 2, attribution: "share" });
    expect(diff).toEqual({ tokens: 10_000, cost: 0.8 * (0.5 / 4) * 2, attribution: "share" });
    expect(pytest).toEqual(diff);
    // The default factor is the calibrated one.
    const [byDefault] = chargePatterns(record, patterns);
    expect(byDefault?.cost).toBeCloseTo(TOOL_CALL_SHARE_FACTOR * (1 / 4) * 2, 12);
    const [occurrence] = occurrencesOfRun(record, patterns, { toolCallShareFactor: 0.4 });
    expect(occurrence?.observation.cost).toBeCloseTo(0.4 * (1 / 4) * 2, 12);
    expect(occurrence?.attribution).toBe("share");
  });

  it("gives no cost evidence for a run without tool calls", () => {
    const record: WorkflowRecord = {
      total_tokens: 50_000,
      actual_cost_total: 1.5,
      nl_input: "run the tests with pytest and update the dependencies",
    };
    const patterns = detectPatterns(record);
    expect(patterns).toHaveLength(2);
    expect(chargePatterns(record, patterns)).toEqual([
      { tokens: null, cost: null, attribution: null },
      { tokens: null, cost: null, attribution: null },
    ]);
  });

  it("gives no cost evidence to a pattern with no tool call of its own in a run that has some", () => {
    const record: WorkflowRecord = {
      total_tokens: 50_000,
      actual_cost_total: 1.5,
      error_message: "eslint found 4 problems",
      tool_calls: [
        { tool_name: "Read", tool_input: { file_path: "a.ts" } },
        { tool_name: "Bash", tool_input: { command: "pytest -q" } },
      ],
    };
    const charges = chargePatterns(record, detectPatterns(record));
    expect(charges).toEqual([
      { tokens: null, cost: null, attribution: null },
      {
        tokens: Math.floor(50_000 * TOOL_CALL_SHARE_FACTOR * 0.5),
        cost: expect.any(Number),
        attribution: "share",
      },
    ]);
    expect(charges[1]?.cost).toBeCloseTo(1.5 * TOOL_CALL_SHARE_FACTOR * 0.5, 12);
  });

  it("charges the patterns without measured calls a share of what the measured ones left", () => {
    const record: WorkflowRecord = {
      total_tokens: 10_000,
      actual_cost_total: 1,
      tool_calls: [
        call("pytest -q", [0, 1_000, 5_000, 0], 0.6),
        { tool_name: "Bash", tool_input: { command: "git status" } },
      ],
    };
    const [status, pytest] = chargePatterns(record, detectPatterns(record), { toolCallShareFactor: 0.5 });
    expect(pytest).toEqual({ tokens: 6_000, cost: 0.6, attribution: "tool_calls" });
    // git status: half of the run's calls, times 0.5, of the 4,000 tokens and $0.40 pytest left.
    expect(status?.tokens).toBe(1_000);
    expect(status?.cost).toBeCloseTo(0.1, 12);
  });

  it("refuses a factor outside 0 to 1", () => {
    const record: WorkflowRecord = { tool_calls: [{ tool_name: "Bash", tool_input: { command: "pytest" } }] };
    for (const factor of [1.5, -0.1, Number.NaN]) {
      expect(() => chargePatterns(record, detectPatterns(record), { toolCallShareFactor: factor })).toThrow(
        expect.objectContaining({ code: "invalid_cost_share_factor" }),
      );
    }
    expect(() => chargePatterns(record, [], { toolCallShareFactor: 2 })).toThrow(PatternloopCoreError);
  });

  it("never charges a run's patterns more than the run cost, whatever calls have usage", () => {
    const commands = ["pytest", "git status", "npm run build", "npx tsc --noEmit && git diff", "ls"];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            command: fc.constantFrom(...commands),
            tokens: fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(50_000), fc.nat(5000)),
            cost: fc.double({ min: 0, max: 1, noNaN: true }),
            withUsage: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (calls, withError, factor) => {
          const tool_calls = calls.map((c) => {
            const { usage, ...bare } = call(c.command, c.tokens, c.cost);
            return c.withUsage ? { ...bare, usage } : bare;
          });
          const total_tokens = calls.reduce(
            (sum, c) => sum + c.tokens[0] + c.tokens[1] + c.tokens[2] + c.tokens[3],
            0,
          );
          const actual_cost_total = calls.reduce((sum, c) => sum + c.cost, 0);
          const record: WorkflowRecord = {
            total_tokens,
            actual_cost_total,
            tool_calls,
            error_message: withError ? "eslint found problems" : null,
          };
          const charges = chargePatterns(record, detectPatterns(record), { toolCallShareFactor: factor });
          expect(charges.reduce((sum, c) => sum + (c.tokens ?? 0), 0)).toBeLessThanOrEqual(total_tokens);
          expect(charges.reduce((sum, c) => sum + (c.cost ?? 0), 0)).toBeLessThanOrEqual(
            actual_cost_total * (1 + 1e-9) + 1e-12,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("describeAttribution", () => {
  it("states what the figure assumes, with the factor in use", () => {
    expect(describeAttribution("share")).toBe(
      `its share of the run's tool calls × ${TOOL_CALL_SHARE_FACTOR} (calibrated on transcripts)`,
    );
    expect(describeAttribution("share", { toolCallShareFactor: 0.5 })).toBe(
      "its share of the run's tool calls × 0.5 (factor set by the caller)",
    );
    expect(describeAttribution("tool_calls")).toContain("tool calls (transcripts)");
  });
});
