import { join } from "node:path";
import { TOOL_CALL_SHARE_FACTOR } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { backfilledHistory, HISTORY, runJson, runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { tempDirectory } from "./support/temp-directory.js";

type Row = Record<string, number | string>;

const STATEMENT = /Savings assume a script costs 5 % of the LLM cost per use \(--tool-cost-share\)/;

describe("the savings model is stated and can be set", { timeout: 120_000 }, () => {
  it("details, summary, high-value and the backfill's closing summary state what the savings assume", () => {
    const directory = tempDirectory();
    const db = join(directory, "history.db");
    runOk(["ingest", "workflows", HISTORY, "--db", db]);
    const backfill = runOk(["backfill", "--db", db]).stdout;
    expect(backfill).toMatch(STATEMENT);
    expect(backfill).toContain(
      `from their share of the run's tool calls × ${TOOL_CALL_SHARE_FACTOR} (calibrated on transcripts)`,
    );
    for (const command of [["summary"], ["high-value"], ["details", "git:diff:summary"]])
      expect(runOk(["analyze", ...command, "--db", db]).stdout, command.join(" ")).toMatch(STATEMENT);

    const details = runJson(["analyze", "details", "git:diff:summary", "--db", db]);
    expect(details.savings_model).toMatchObject({
      tool_cost_share: 0.05,
      cost_attribution: { tool_calls: 0, share: expect.any(Number), none: expect.any(Number) },
    });
    expect(details.savings_model.cost_attribution.share + details.savings_model.cost_attribution.none).toBe(
      details.pattern.occurrence_count,
    );
    expect(runJson(["analyze", "summary", "--db", db]).savings_model.tool_cost_share).toBe(0.05);
    expect(runJson(["backfill", "--db", db]).savings_model.tool_cost_share).toBe(0.05);
  });

  it("--tool-cost-share (or PATTERNLOOP_TOOL_COST_SHARE) sets what a script is assumed to cost", () => {
    const { path } = backfilledHistory();
    const byDefault = runJson(["analyze", "high-value", "--db", path]) as Row[];
    const dearer = runJson(["analyze", "high-value", "--db", path, "--tool-cost-share", "0.2"]) as Row[];
    expect(dearer.map((row) => row.pattern_signature)).toEqual(byDefault.map((row) => row.pattern_signature));
    for (const [i, row] of dearer.entries()) {
      const base = byDefault[i] as Row;
      expect(row.avg_cost_with_tool as number).toBeCloseTo((row.avg_cost_with_llm as number) * 0.2, 12);
      expect(row.potential_monthly_savings as number).toBeCloseTo(
        ((base.potential_monthly_savings as number) * 0.8) / 0.95,
        12,
      );
    }
    const configured = runJson(["analyze", "summary", "--db", path], {
      env: { PATTERNLOOP_TOOL_COST_SHARE: "0.2" },
    });
    expect(configured.savings_model.tool_cost_share).toBe(0.2);
    expect(configured.potential_monthly_savings).toBeCloseTo(
      dearer.reduce((sum, row) => sum + (row.potential_monthly_savings as number), 0),
      9,
    );
    expect(
      runOk(["analyze", "details", "git:diff:summary", "--db", path, "--tool-cost-share", "0.2"]).stdout,
    ).toMatch(/a script costs 20 % of the LLM cost/);
    // A different assumption is a different view, never a different stored state.
    expect(runOk(["check", "--db", path]).stdout).toContain("integrity: ok");
  });

  it("a share that is not one is refused in one line, before anything is written", () => {
    const { path } = backfilledHistory();
    expectRefusal(
      runCli(["analyze", "high-value", "--db", path, "--tool-cost-share", "5%"]),
      /--tool-cost-share: not a share of the LLM cost between 0 and 1/,
    );
    const directory = tempDirectory();
    const db = join(directory, "fresh.db");
    runOk(["ingest", "workflows", HISTORY, "--db", db]);
    expectRefusal(
      runCli(["backfill", "--db", db], { env: { PATTERNLOOP_TOOL_COST_SHARE: "1.5" } }),
      /PATTERNLOOP_TOOL_COST_SHARE: not a share/,
    );
    expect(runJson(["backfill", "--db", db, "--dry-run"])).toMatchObject({ processed: 12 });
  });
});
