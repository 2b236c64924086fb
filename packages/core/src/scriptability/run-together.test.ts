import { describe, expect, it } from "vitest";
import type { Evidence } from "../detection/detected-pattern.js";
import { patternsRunTogether } from "./run-together.js";

const evidence = (...calls: [string, number][]) =>
  JSON.stringify(
    calls.map(
      ([text, index]): Evidence => ({ source: "tool_call", text, rule: "r", tool_call_index: index }),
    ),
  );

describe("patternsRunTogether", () => {
  it("tells patterns run in the same command from those only run in the same run", () => {
    const commits = [
      { workflow_id: "r1", evidence: evidence(["git add -A && git commit -m x", 4]) },
      { workflow_id: "r2", evidence: evidence(["git commit -m y", 7]) },
      { workflow_id: "r3", evidence: evidence(["git commit -m z", 1]) },
    ];
    const neighbours = [
      {
        workflow_id: "r1",
        pattern_signature: "git:add:summary",
        evidence: evidence(["git add -A && git commit -m x", 4]),
      },
      { workflow_id: "r2", pattern_signature: "git:add:summary", evidence: evidence(["git add .", 6]) },
      { workflow_id: "r2", pattern_signature: "git:push:summary", evidence: evidence(["git push", 8]) },
      { workflow_id: "r3", pattern_signature: "git:push:summary", evidence: evidence(["git push", 2]) },
      {
        workflow_id: "other",
        pattern_signature: "git:status:summary",
        evidence: evidence(["git status", 1]),
      },
    ];
    expect(patternsRunTogether(commits, neighbours)).toEqual([
      { pattern_signature: "git:add:summary", same_command: 1, same_run: 2 },
      { pattern_signature: "git:push:summary", same_command: 0, same_run: 2 },
    ]);
  });
});
