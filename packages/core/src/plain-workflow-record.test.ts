import { describe, expect, it } from "vitest";
import { isPlainWorkflowRecord } from "./plain-workflow-record.js";
import { parseWorkflowRecord, workflowRecordSchema } from "./workflow-record.js";

const usage = {
  input_tokens: 10,
  output_tokens: 2,
  cache_read_tokens: 300,
  cache_creation_tokens: 0,
  cost_usd: 0.0012,
};

/** Records as JSON gives them: the common shape, its edges, and what the schema changes or refuses. */
const RECORDS: Record<string, unknown> = {
  full: {
    workflow_id: "wf-1",
    adw_id: "a1",
    nl_input: "fix the tests",
    workflow_template: "adw_plan_build",
    status: "failed",
    start_time: "2026-03-02T10:00:00Z",
    end_time: null,
    duration_seconds: 12.5,
    error_message: "boom",
    retry_count: 1,
    input_tokens: 1,
    output_tokens: 2,
    cache_read_tokens: 3,
    cache_creation_tokens: 4,
    total_tokens: 10,
    actual_cost_total: 0.5,
    model_used: "claude-sonnet-4-5",
    cost_basis: "computed",
    tool_calls: [
      { tool_name: "Bash", tool_input: { command: "ls" }, success: true, usage, extra: [1] },
      { tool_name: "Read", tool_input: "text", success: null, duration_ms: 3, usage: null },
      { tool_name: "Edit", timestamp: "2026-03-02T10:00:01Z", tool_use_id: "toolu_1" },
    ],
  },
  minimal: { adw_id: "a2" },
  noCalls: { workflow_id: "wf-3", tool_calls: null },
  usageWithMore: {
    workflow_id: "wf-4",
    tool_calls: [{ tool_name: "Bash", usage: { ...usage, model: "x" } }],
  },
  usageWithoutCost: {
    workflow_id: "wf-5",
    tool_calls: [{ tool_name: "Bash", usage: { ...usage, cost_usd: undefined } }],
  },
  badStatus: { workflow_id: "wf-6", status: "done" },
  emptyToolName: { workflow_id: "wf-7", tool_calls: [{ tool_name: "" }] },
  textAsNumber: { workflow_id: "wf-8", retry_count: "1" },
  negativeUsage: {
    workflow_id: "wf-9",
    tool_calls: [{ tool_name: "Bash", usage: { ...usage, input_tokens: -1 } }],
  },
  deepInput: { workflow_id: "wf-10", tool_calls: [{ tool_name: "Bash", tool_input: nested(70) }] },
  array: [{ workflow_id: "wf-11" }],
};

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

describe("isPlainWorkflowRecord", () => {
  it("takes only records the schema returns unchanged, so parseWorkflowRecord gives what the schema gives", () => {
    for (const [name, record] of Object.entries(RECORDS)) {
      const json = JSON.parse(JSON.stringify(record));
      const schema = workflowRecordSchema.safeParse(json);
      if (isPlainWorkflowRecord(json)) expect(schema, name).toMatchObject({ success: true, data: json });
      const parsed = parseWorkflowRecord(json);
      if (schema.success)
        expect(parsed.success && { ...parsed.record, workflow_id: undefined }, name).toEqual({
          ...schema.data,
          workflow_id: undefined,
        });
      else expect(parsed.success, name).toBe(false);
    }
  });

  it("leaves to the schema a usage it would strip, and each record it refuses", () => {
    const plain = Object.entries(RECORDS)
      .filter(([, record]) => isPlainWorkflowRecord(JSON.parse(JSON.stringify(record))))
      .map(([name]) => name);
    expect(plain).toEqual(["full", "minimal", "noCalls"]);
    const stripped = parseWorkflowRecord(RECORDS.usageWithMore);
    expect(stripped.success && stripped.record.tool_calls?.[0]?.usage).toEqual(usage);
  });
});
