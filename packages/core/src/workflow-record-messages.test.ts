import { describe, expect, it } from "vitest";
// This file imports the record parser alone: nothing here loads zod's full build, which would set its English
// messages for every schema and hide a parse that has none of its own.
import { parseWorkflowRecord } from "./workflow-record.js";

const issuesOf = (record: unknown) => {
  const parsed = parseWorkflowRecord(record);
  return parsed.success ? [] : parsed.issues;
};

describe("parseWorkflowRecord's messages", () => {
  it("name the field and say what was expected and what came, in plain English", () => {
    expect(issuesOf({ workflow_id: 5 })).toEqual([
      { path: "workflow_id", message: "Invalid input: expected string, received number" },
    ]);
    expect(issuesOf({ workflow_id: "a", status: "done" })).toEqual([
      { path: "status", message: 'Invalid option: expected one of "pending"|"running"|"completed"|"failed"' },
    ]);
    expect(issuesOf({ workflow_id: "a", duration_seconds: "5" })).toEqual([
      { path: "duration_seconds", message: "Invalid input: expected number, received string" },
    ]);
    expect(issuesOf({ workflow_id: "a", tool_calls: "ls" })).toEqual([
      { path: "tool_calls", message: "Invalid input: expected array, received string" },
    ]);
    expect(issuesOf({ workflow_id: "a", tool_calls: [{ tool_name: "" }] })).toEqual([
      { path: "tool_calls.0.tool_name", message: "Too small: expected string to have >=1 characters" },
    ]);
    const usage = { input_tokens: -1, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0 };
    expect(issuesOf({ workflow_id: "a", tool_calls: [{ tool_name: "Bash", usage }] })).toEqual([
      { path: "tool_calls.0.usage.input_tokens", message: "Too small: expected number to be >=0" },
      { path: "tool_calls.0.usage.cost_usd", message: "Invalid input: expected number, received undefined" },
    ]);
    expect(issuesOf("a line")).toEqual([
      { path: "", message: "Invalid input: expected object, received string" },
    ]);
  });
});
