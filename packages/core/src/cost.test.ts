import { describe, expect, it } from "vitest";
import { type CostResult, costOf } from "./cost.js";
import { PRICE_TABLE_VERSION } from "./pricing.js";

function priced(result: CostResult) {
  if (!result.ok) throw new Error(`expected a cost, got ${result.reason}`);
  return result;
}

describe("costOf", () => {
  it("prices input and output tokens", () => {
    // 1,000 × $3/M + 500 × $15/M = $0.003 + $0.0075
    const cost = priced(costOf({ input_tokens: 1_000, output_tokens: 500 }, "claude-sonnet-4-5-20250929"));
    expect(cost.cost_usd).toBeCloseTo(0.0105, 12);
    expect(cost.breakdown.input).toBeCloseTo(0.003, 12);
    expect(cost.breakdown.output).toBeCloseTo(0.0075, 12);
    expect(cost.model_family).toBe("claude-sonnet-4-5");
    expect(cost.price_table_version).toBe(PRICE_TABLE_VERSION);
    expect(cost.long_context).toBe(false);
  });

  it("prices cache reads at a tenth of input", () => {
    // 10,000 × $0.50/M on Opus 4.5
    const cost = priced(
      costOf({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 10_000 }, "claude-opus-4-5"),
    );
    expect(cost.breakdown.cache_read).toBeCloseTo(0.005, 12);
    expect(cost.cost_usd).toBeCloseTo(0.005, 12);
  });

  it("prices plain cache creation as 5-minute writes", () => {
    // 2,000 × $1.25/M on Haiku 4.5
    const cost = priced(costOf({ input_tokens: 0, output_tokens: 0, cache_creation_tokens: 2_000 }, "haiku"));
    expect(cost.breakdown.cache_write).toBeCloseTo(0.0025, 12);
  });

  it("prices 1-hour cache writes at twice the input price", () => {
    // 1,000 × $6/M on Sonnet 4
    const cost = priced(
      costOf({ input_tokens: 0, output_tokens: 0, cache_creation_1h_tokens: 1_000 }, "claude-sonnet-4-0"),
    );
    expect(cost.breakdown.cache_write).toBeCloseTo(0.006, 12);
  });

  it("does not count the cache-write total twice when its split is also given", () => {
    // total 3,000 = 2,000 (5 min, $3.75/M) + 1,000 (1 h, $6/M) on Sonnet 4.5
    const usage = {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_tokens: 3_000,
      cache_creation_5m_tokens: 2_000,
      cache_creation_1h_tokens: 1_000,
    };
    expect(priced(costOf(usage, "sonnet")).breakdown.cache_write).toBeCloseTo(0.0135, 12);
    // The part of the total the split leaves out is a 5-minute write.
    const partial = {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_tokens: 3_000,
      cache_creation_1h_tokens: 1_000,
    };
    expect(priced(costOf(partial, "sonnet")).breakdown.cache_write).toBeCloseTo(0.0135, 12);
  });

  it("adds every bucket into the total", () => {
    const usage = {
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      cache_read_tokens: 1_000_000,
      cache_creation_tokens: 1_000_000,
    };
    // Haiku 3: $0.25 + $1.25 + $0.025 + $0.3125
    expect(priced(costOf(usage, "claude-3-haiku-20240307")).cost_usd).toBeCloseTo(1.8375, 10);
  });

  it("counts missing or null buckets as zero", () => {
    expect(priced(costOf({}, "claude-haiku-4-5")).cost_usd).toBe(0);
    expect(
      priced(costOf({ input_tokens: null, output_tokens: 1_000_000 }, "claude-haiku-4-5")).cost_usd,
    ).toBe(5);
  });

  describe("long-context tier", () => {
    it("stays on the standard rates at exactly 200,000 prompt tokens", () => {
      const usage = { input_tokens: 150_000, cache_read_tokens: 50_000, output_tokens: 1_000 };
      const cost = priced(costOf(usage, "claude-sonnet-4-5"));
      expect(cost.long_context).toBe(false);
      // 150,000 × $3 + 50,000 × $0.30 + 1,000 × $15, per million
      expect(cost.cost_usd).toBeCloseTo(0.48, 10);
    });

    it("bills the whole request at the long-context rates one token later", () => {
      const usage = { input_tokens: 150_001, cache_read_tokens: 50_000, output_tokens: 1_000 };
      const cost = priced(costOf(usage, "claude-sonnet-4-5"));
      expect(cost.long_context).toBe(true);
      // 150,001 × $6 + 50,000 × $0.60 + 1,000 × $22.50, per million
      expect(cost.cost_usd).toBeCloseTo(0.952506, 10);
    });

    it("counts cache writes towards the threshold and prices them from the tier's input", () => {
      const usage = { input_tokens: 100_000, cache_creation_tokens: 100_001, output_tokens: 0 };
      const cost = priced(costOf(usage, "claude-sonnet-4-20250514"));
      expect(cost.long_context).toBe(true);
      expect(cost.breakdown.cache_write).toBeCloseTo((100_001 * 7.5) / 1_000_000, 10);
    });

    it("does not apply to models without a tier", () => {
      const cost = priced(costOf({ input_tokens: 300_000, output_tokens: 0 }, "claude-opus-4-5"));
      expect(cost.long_context).toBe(false);
      expect(cost.cost_usd).toBeCloseTo(1.5, 10);
    });
  });

  it("reports an unknown model instead of guessing a price", () => {
    expect(costOf({ input_tokens: 1_000, output_tokens: 1_000 }, "gpt-4o")).toEqual({
      ok: false,
      reason: "unknown_model",
    });
    expect(costOf({ input_tokens: 1_000, output_tokens: 1_000 }, null)).toEqual({
      ok: false,
      reason: "unknown_model",
    });
  });

  it("refuses negative or non-finite token counts", () => {
    expect(costOf({ input_tokens: -1, output_tokens: 0 }, "sonnet")).toEqual({
      ok: false,
      reason: "invalid_usage",
    });
    expect(costOf({ input_tokens: 0, output_tokens: Number.NaN }, "sonnet")).toEqual({
      ok: false,
      reason: "invalid_usage",
    });
  });
});
