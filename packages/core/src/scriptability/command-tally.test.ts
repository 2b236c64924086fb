import { describe, expect, it } from "vitest";
import type { Evidence } from "../detection/detected-pattern.js";
import {
  addToCommandTally,
  emptyCommandTally,
  parseCommandTally,
  stringifyCommandTally,
  summarizeCommands,
  summarizeCommandTally,
} from "./command-tally.js";
import type { OccurrenceEvidence } from "./command-uses.js";

const call = (text: string, index = 0): Evidence => ({
  source: "tool_call",
  text,
  rule: "r",
  tool_call_index: index,
});
const occurrence = (id: string, project: string | null, ...evidence: Evidence[]): OccurrenceEvidence => ({
  workflow_id: id,
  project,
  evidence: JSON.stringify(evidence),
});

describe("a command tally", () => {
  it("folded in two parts, stored and read back between them, summarizes as the whole list does", () => {
    const occurrences = [
      occurrence("r1", "acme/shop", call("cd app && npm test"), call("cd app && npm test -- a", 2)),
      occurrence("r2", null, call('git commit -m "x"'), call("cd web && npm test")),
      occurrence("r3", "acme/api", call("npm test")),
      occurrence("r4", "acme/shop", { source: "request", text: "run the tests", rule: "r" }),
      occurrence("r5", "acme/shop", call("cd app && npm test")),
    ];
    const first = emptyCommandTally();
    for (const o of occurrences.slice(0, 2)) addToCommandTally(first, o);
    const second = parseCommandTally(stringifyCommandTally(first));
    for (const o of occurrences.slice(2)) addToCommandTally(second, o);
    expect(summarizeCommandTally(parseCommandTally(stringifyCommandTally(second)))).toEqual(
      summarizeCommands(occurrences),
    );
    expect(second.occurrences).toBe(5);
  });
});
