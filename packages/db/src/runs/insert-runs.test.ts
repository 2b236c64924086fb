import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../test-support/dialects.js";
import { insertRuns, uniqueToolCalls } from "./insert-runs.js";
import { loadRuns } from "./load-runs.js";

const bash = (command: string, tool_use_id?: string) => ({
  tool_name: "Bash",
  tool_input: { command },
  tool_use_id,
});

describe("uniqueToolCalls", () => {
  it("keeps one call per tool_use_id, at its first place, with its latest content", () => {
    const calls = [bash("a", "t1"), bash("b", "t2"), bash("a2", "t1"), bash("c"), bash("d")];
    expect(uniqueToolCalls(calls).map((call) => (call.tool_input as { command: string }).command)).toEqual([
      "a2",
      "b",
      "c",
      "d",
    ]);
  });
});

for (const engine of ENGINES) {
  describe(`insertRuns (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("stores runs with their tool calls once, however often they are loaded", async () => {
      const { db } = fresh();
      const records = [
        {
          workflow_id: "r1",
          status: "completed" as const,
          start_time: "2026-01-01T00:00:00Z",
          tool_calls: [bash("pytest", "t1"), bash("pytest -x", "t1"), bash("git status")],
        },
        { workflow_id: "r2", nl_input: "no times", status: "failed" as const },
        { workflow_id: "r1", status: "failed" as const },
      ];
      expect(await db.transaction().execute((trx) => insertRuns(trx, records))).toEqual({
        inserted: 2,
        existing: 1,
        toolCalls: 2,
      });
      expect(await db.transaction().execute((trx) => insertRuns(trx, records))).toEqual({
        inserted: 0,
        existing: 3,
        toolCalls: 0,
      });
      const [r1, r2] = await loadRuns(db, ["r1", "r2"]);
      expect(r1?.status).toBe("completed");
      expect(r1?.tool_calls?.map((call) => (call.tool_input as { command: string }).command)).toEqual([
        "pytest -x",
        "git status",
      ]);
      expect(r1?.workflow_time).toBe("2026-01-01T00:00:00.000Z");
      // Without a start or end time a run has no workflow time; never the time it was loaded.
      expect(r2?.workflow_time).toBeNull();
      expect(r2?.adw_id).toBe("r2");
    });
  });
}
