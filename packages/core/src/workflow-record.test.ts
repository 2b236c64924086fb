import { describe, expect, it } from "vitest";
import { parseWorkflowRecord, withinDepth } from "./workflow-record.js";

describe("parseWorkflowRecord", () => {
  it("takes adw_id as the id of a record without workflow_id", () => {
    const parsed = parseWorkflowRecord({ adw_id: "a1b2", status: "completed" });
    expect(parsed.success && parsed.record.workflow_id).toBe("a1b2");
  });

  it("names each problem instead of throwing", () => {
    const parsed = parseWorkflowRecord({ workflow_id: 7, status: "done", tool_calls: [{ tool_name: "" }] });
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(parsed.issues.map((issue) => issue.path)).toEqual([
        "workflow_id",
        "status",
        "tool_calls.0.tool_name",
      ]);
    expect(parseWorkflowRecord("nope").success).toBe(false);
    expect(parseWorkflowRecord({}).success).toBe(false);
  });

  it("refuses text a database cannot store and inputs nested too deep to handle", () => {
    expect(parseWorkflowRecord({ workflow_id: "a\u0000b" })).toMatchObject({
      success: false,
      issues: [{ path: "workflow_id", message: "contains a NUL character (\\u0000)" }],
    });
    let deep: unknown = "x";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const parsed = parseWorkflowRecord({
      workflow_id: "w",
      tool_calls: [{ tool_name: "Bash", tool_input: deep }],
    });
    expect(parsed).toMatchObject({
      success: false,
      issues: [{ path: "tool_calls.0.tool_input", message: "nested deeper than 64 levels" }],
    });
  });

  it("refuses a lone surrogate or a NUL anywhere in a record, tool inputs and unknown fields included", () => {
    const refused = (record: unknown) => {
      const parsed = parseWorkflowRecord(record);
      return parsed.success ? undefined : parsed.issues;
    };
    expect(refused({ workflow_id: "wf-\ud800-x" })).toEqual([
      { path: "workflow_id", message: "contains a lone surrogate (\\ud800), which is not Unicode text" },
    ]);
    expect(
      refused({ workflow_id: "w", tool_calls: [{ tool_name: "Bash", tool_input: { command: "ls\u0000" } }] }),
    ).toEqual([{ path: "tool_calls.0.tool_input.command", message: "contains a NUL character (\\u0000)" }]);
    expect(refused({ workflow_id: "w", source: { repository: "\udc00" } })).toMatchObject([
      { path: "source.repository" },
    ]);
    expect(refused({ workflow_id: "w", nl_input: "fix the 😀 test" })).toBeUndefined();
  });

  it("measures depth without recursion", () => {
    expect(withinDepth({ a: { b: [1, 2] } }, 3)).toBe(true);
    expect(withinDepth({ a: { b: [1, 2] } }, 2)).toBe(false);
    expect(withinDepth("flat", 0)).toBe(true);
  });
});
