import { describe, expect, it } from "vitest";
import { PRICE_TABLE_VERSION, resolveModelPrice } from "./pricing.js";

describe("resolveModelPrice", () => {
  it.each([
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5", 3, 15],
    ["claude-sonnet-4-5", "claude-sonnet-4-5", 3, 15],
    ["claude-sonnet-4-20250514", "claude-sonnet-4", 3, 15],
    ["claude-sonnet-4-0", "claude-sonnet-4", 3, 15],
    ["claude-opus-4-8", "claude-opus-4-8", 5, 25],
    ["claude-opus-4-8[1m]", "claude-opus-4-8", 5, 25],
    ["claude-opus-4-7", "claude-opus-4-7", 5, 25],
    ["claude-opus-4-6", "claude-opus-4-6", 5, 25],
    ["claude-sonnet-4-6", "claude-sonnet-4-6", 3, 15],
    ["claude-opus-4-5-20251101", "claude-opus-4-5", 5, 25],
    ["claude-opus-4-1-20250805", "claude-opus-4-1", 15, 75],
    ["claude-opus-4-20250514", "claude-opus-4", 15, 75],
    ["claude-haiku-4-5", "claude-haiku-4-5", 1, 5],
    ["claude-haiku-4-5-20251001", "claude-haiku-4-5", 1, 5],
    ["claude-3-7-sonnet-latest", "claude-3-7-sonnet", 3, 15],
    ["claude-3-5-haiku-20241022", "claude-3-5-haiku", 0.8, 4],
    ["claude-3-haiku-20240307", "claude-3-haiku", 0.25, 1.25],
  ])("prices %s as %s", (model, family, input, output) => {
    const resolved = resolveModelPrice(model);
    expect(resolved?.model_family).toBe(family);
    expect(resolved?.prices.input).toBe(input);
    expect(resolved?.prices.output).toBe(output);
  });

  it("maps Claude Code's short names to the newest model of the family", () => {
    expect(resolveModelPrice("opus")?.model_family).toBe("claude-opus-4-8");
    expect(resolveModelPrice("sonnet")?.model_family).toBe("claude-sonnet-4-6");
    expect(resolveModelPrice("haiku")?.model_family).toBe("claude-haiku-4-5");
    expect(resolveModelPrice("sonnet[1m]")?.model_family).toBe("claude-sonnet-4-6");
    expect(resolveModelPrice("constructor")).toBeUndefined();
  });

  it("understands cloud and router spellings", () => {
    expect(resolveModelPrice("us.anthropic.claude-sonnet-4-5-20250929-v1:0")?.model_family).toBe(
      "claude-sonnet-4-5",
    );
    expect(resolveModelPrice("anthropic.claude-3-5-sonnet-20241022-v2:0")?.model_family).toBe(
      "claude-3-5-sonnet",
    );
    expect(resolveModelPrice("claude-opus-4-1@20250805")?.model_family).toBe("claude-opus-4-1");
    expect(resolveModelPrice("anthropic/claude-sonnet-4.5")?.model_family).toBe("claude-sonnet-4-5");
    expect(resolveModelPrice("  Claude-Haiku-4-5  ")?.model_family).toBe("claude-haiku-4-5");
  });

  it("does not price an unknown model as a known one that shares its prefix", () => {
    expect(resolveModelPrice("claude-opus-4-9")).toBeUndefined();
    expect(resolveModelPrice("claude-sonnet-4-7-20260101")).toBeUndefined();
    expect(resolveModelPrice("claude-opus-4-preview")).toBeUndefined();
  });

  it("is undefined for other vendors, Claude Code's mixed `opusplan`, and missing input", () => {
    expect(resolveModelPrice("gpt-4o")).toBeUndefined();
    expect(resolveModelPrice("opusplan")).toBeUndefined();
    expect(resolveModelPrice("")).toBeUndefined();
    expect(resolveModelPrice(null)).toBeUndefined();
    expect(resolveModelPrice(undefined)).toBeUndefined();
  });

  it("derives cache prices from the input price", () => {
    const prices = resolveModelPrice("claude-opus-4-1")?.prices;
    expect(prices?.cache_write_5m).toBeCloseTo(18.75, 10);
    expect(prices?.cache_write_1h).toBeCloseTo(30, 10);
    expect(prices?.cache_read).toBeCloseTo(1.5, 10);
  });

  it("has a long-context tier only where Anthropic bills one", () => {
    const sonnet = resolveModelPrice("claude-sonnet-4-5")?.prices.long_context;
    expect(sonnet).toMatchObject({ input: 6, output: 22.5, threshold_tokens: 200_000 });
    expect(sonnet?.cache_read).toBeCloseTo(0.6, 10);
    expect(resolveModelPrice("claude-sonnet-4")?.prices.long_context?.input).toBe(6);
    expect(resolveModelPrice("claude-opus-4-5")?.prices.long_context).toBeUndefined();
    expect(resolveModelPrice("claude-haiku-4-5")?.prices.long_context).toBeUndefined();
  });

  it("cannot be changed through a resolved price", () => {
    const prices = resolveModelPrice("claude-haiku-4-5")?.prices;
    expect(() => {
      if (prices) (prices as { input: number }).input = 0;
    }).toThrow(TypeError);
    expect(resolveModelPrice("claude-haiku-4-5")?.prices.input).toBe(1);
  });

  it("exports the table version as a date", () => {
    expect(PRICE_TABLE_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
