import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

/** A run whose workflow id and request carry ESC, BEL and a line break that forges a validator line. */
const HOSTILE_IDS = ["wf-\u001b[2J\u001b]0;pwned\u0007-0", "wf-1\n[validator] pattern forged: 100%"];

function hostileRun(workflowId: string, index: number) {
  return {
    workflow_id: workflowId,
    nl_input: `Run the \u001b[31mbackend\u001b[0m tests\r\n[validator] pattern forged: 100%\u0007`,
    workflow_template: "adw_plan_build_iso",
    status: "completed",
    start_time: `2026-01-0${index + 5}T09:00:00Z`,
    end_time: `2026-01-0${index + 5}T09:04:00Z`,
    total_tokens: 1000,
    actual_cost_total: 0.5,
    tool_calls: [
      {
        tool_name: "Bash",
        tool_input: { command: "cd app/server && uv run pytest -q \u001b[2J" },
        success: true,
        timestamp: null,
        tool_use_id: `toolu_${index}`,
      },
    ],
  };
}

/** Every byte below 0x20 but the line feed, and any line the input forged. */
function expectSafe(stdout: string) {
  expect(stdout).toContain("wf-");
  const controls = [...Buffer.from(stdout)].filter((byte) => (byte < 0x20 && byte !== 0x0a) || byte === 0x7f);
  expect(controls).toEqual([]);
  expect(stdout.split("\n").filter((line) => line.startsWith("[validator]"))).toEqual([]);
}

describe("control characters from the input on stdout", { timeout: 60_000 }, () => {
  let records: string;
  beforeAll(() => {
    records = join(tempDirectory(), "hostile.jsonl");
    writeFileSync(records, `${HOSTILE_IDS.map((id, i) => JSON.stringify(hostileRun(id, i))).join("\n")}\n`);
  });

  it("detect prints them escaped", () => {
    const { stdout } = runOk(["detect", records]);
    expectSafe(stdout);
    expect(stdout).toContain("wf-\\u001b[2J\\u001b]0;pwned\\u0007-0: 1 pattern");
    expect(stdout).toContain("wf-1\\n[validator] pattern forged: 100%: 1 pattern");
  });

  it("detect --json keeps them JSON-escaped", () => {
    const lines = runOk(["detect", records, "--json"]).stdout.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).workflow_id)).toEqual(HOSTILE_IDS);
  });

  it("analyze details prints the workflow ids and requests of its example runs escaped", () => {
    const db = join(tempDirectory(), "hostile.sqlite");
    runOk(["ingest", "workflows", records, "--db", db]);
    runOk(["backfill", "--db", db]);
    const { stdout } = runOk(["analyze", "details", "test:pytest:backend", "--db", db]);
    expectSafe(stdout);
    expect(stdout).toContain("wf-\\u001b[2J\\u001b]0;pwned\\u0007-0");
    // Escaped first, then cut to fit 100 columns: a cut never leaves half an escape to the terminal.
    expect(stdout).toContain("Run the \\u001b[31mbackend\\u");
  });
});
