import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { costOf, detectPatterns, parseWorkflowRecord } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../commands/generate.js";
import { generateHistory, type SyntheticWorkflow } from "./generate-history.js";

const history = (runs: number, seed: number, days?: number) => [...generateHistory({ runs, seed, days })];
const RUNS = history(2_000, 42);

describe("generateHistory", () => {
  it("gives the same history byte for byte for the same seed, another for another seed", () => {
    const lines = (runs: SyntheticWorkflow[]) => runs.map((run) => JSON.stringify(run)).join("\n");
    expect(lines(history(300, 42))).toBe(lines(history(300, 42)));
    expect(lines(history(300, 43))).not.toBe(lines(history(300, 42)));
  });

  it("writes records in the shape of real workflow histories that patternloop parses", () => {
    const sample = readFileSync(
      fileURLToPath(new URL("../../sample/workflows.jsonl", import.meta.url)),
      "utf8",
    )
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const realKeys = sample.find((record) => !("issue_number" in record));
    expect(Object.keys(RUNS[0] ?? {})).toEqual(Object.keys(realKeys ?? {}));
    expect(Object.keys(RUNS[0]?.tool_calls[0] ?? {})).toEqual([
      "tool_name",
      "tool_input",
      "success",
      "timestamp",
      "tool_use_id",
    ]);
    for (const run of RUNS) {
      const parsed = parseWorkflowRecord(JSON.parse(JSON.stringify(run)));
      expect(parsed.success, JSON.stringify(parsed.success ? [] : parsed.issues)).toBe(true);
    }
    expect(RUNS.map((run) => run.workflow_id).slice(0, 2)).toEqual(["syn-42-0", "syn-42-1"]);
    expect(new Set(RUNS.map((run) => run.adw_id)).size).toBe(RUNS.length);
    expect(RUNS.every((run) => /^[0-9a-f]{8}$/.test(run.adw_id))).toBe(true);
  });

  it("fails about 8 % of runs, with an error message, and only those", () => {
    const failed = RUNS.filter((run) => run.status === "failed");
    expect(failed.length / RUNS.length).toBeGreaterThan(0.05);
    expect(failed.length / RUNS.length).toBeLessThan(0.11);
    expect(failed.every((run) => typeof run.error_message === "string" && run.error_message !== "")).toBe(
      true,
    );
    expect(RUNS.filter((run) => run.status === "completed").every((run) => run.error_message === null)).toBe(
      true,
    );
  });

  it("spreads runs over the days in order, each with 5–40 tool calls timed inside the run", () => {
    const runs = history(500, 7, 10);
    const starts = runs.map((run) => Date.parse(run.start_time));
    expect(starts.every((start, n) => n === 0 || start > (starts[n - 1] ?? 0))).toBe(true);
    expect((starts[starts.length - 1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThan(9.9 * 86_400_000);
    for (const run of runs) {
      const start = Date.parse(run.start_time);
      const end = Date.parse(run.end_time);
      expect(end - start).toBe(Math.round(run.duration_seconds * 1000));
      expect(run.tool_calls.length).toBeGreaterThanOrEqual(5);
      expect(run.tool_calls.length).toBeLessThanOrEqual(40);
      const times = run.tool_calls.map((call) => Date.parse(call.timestamp));
      expect(times.every((time, i) => time >= start && time <= end && time >= (times[i - 1] ?? start))).toBe(
        true,
      );
      expect(new Set(run.tool_calls.map((call) => call.tool_use_id)).size).toBe(run.tool_calls.length);
    }
  });

  it("keeps tokens and list-price cost consistent", () => {
    for (const run of RUNS) {
      expect(run.total_tokens).toBe(
        run.input_tokens + run.output_tokens + run.cache_creation_tokens + run.cache_read_tokens,
      );
      expect(run.actual_cost_total).toBeGreaterThan(0);
      expect(run.actual_cost_total).toBeLessThan(20);
      // Without a long-context tier, pricing the totals at once equals pricing each turn.
      if (run.model_used.startsWith("claude-sonnet-4-5")) continue;
      const whole = costOf(run, run.model_used);
      expect(whole.ok && Math.abs(whole.cost_usd - (run.actual_cost_total ?? 0))).toBeLessThan(1e-6);
    }
  });

  it("yields patterns detection finds in nearly every run", () => {
    const signatures = new Map<string, number>();
    let withPatterns = 0;
    for (const run of RUNS) {
      const patterns = detectPatterns(run);
      if (patterns.length > 0) withPatterns++;
      for (const { signature } of patterns) signatures.set(signature, (signatures.get(signature) ?? 0) + 1);
    }
    expect(withPatterns / RUNS.length).toBeGreaterThan(0.9);
    for (const signature of [
      "test:pytest:backend",
      "test:vitest:frontend",
      "build:typecheck:frontend",
      "format:prettier:all",
      "git:diff:summary",
      "deps:npm:update",
    ])
      expect(signatures.get(signature) ?? 0, signature).toBeGreaterThan(RUNS.length * 0.05);
  });

  it("is lazy: a billion-run history starts at once", () => {
    const iterator = generateHistory({ runs: 1_000_000_000, seed: 1 });
    expect(iterator.next().value?.workflow_id).toBe("syn-1-0");
  });

  it("refuses options it cannot honour", () => {
    expect(() => history(-1, 1)).toThrow(RangeError);
    expect(() => history(1.5, 1)).toThrow(RangeError);
    expect(() => history(1, 1, 0)).toThrow(RangeError);
    expect(() => [...generateHistory({ runs: 1, seed: 1, startTime: "yesterday" })]).toThrow(RangeError);
  });
});

describe("writeHistory", () => {
  it("writes one JSON line per run", async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    expect(await writeHistory({ runs: 50, seed: 42 }, out)).toEqual({ written: 50 });
    const lines = chunks.join("").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toEqual(history(50, 42).map((run) => JSON.stringify(run)));
  });

  it("stops at the first write error and throws it", async () => {
    let writes = 0;
    const out = new Writable({
      write(_chunk, _encoding, done) {
        writes++;
        done(Object.assign(new Error("write ENOSPC"), { code: "ENOSPC" }));
      },
    });
    await expect(writeHistory({ runs: 100_000, seed: 1 }, out)).rejects.toThrow("write ENOSPC");
    expect(writes).toBe(1);
  });
});
