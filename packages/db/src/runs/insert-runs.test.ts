import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { appendToolCalls, insertRuns, runRow, runValuesOf, uniqueToolCalls } from "./insert-runs.js";
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

describe("runValuesOf", () => {
  it("lists a run's row as runRow has it, column for column", () => {
    const records: IdentifiedWorkflowRecord[] = [
      { workflow_id: "bare" },
      {
        workflow_id: "full",
        adw_id: "a1",
        nl_input: "fix the build",
        workflow_template: "adw_plan_build",
        status: "failed",
        start_time: "2026-03-02T10:00:00+02:00",
        end_time: "2026-03-02 09:05:00",
        duration_seconds: 300.5,
        error_message: "exit 1",
        retry_count: 2,
        input_tokens: 10,
        output_tokens: 20,
        cache_read_tokens: 30,
        cache_creation_tokens: 40,
        total_tokens: 100,
        actual_cost_total: 0.25,
        model_used: "claude-haiku-4-5",
        source: { repo: "acme/shop" },
      },
      { workflow_id: "end-only", end_time: "2026-03-02T10:05:00Z", cwd: "/home/dev/shop" },
      { workflow_id: "not-a-time", start_time: "yesterday" },
    ];
    for (const record of records) expect(runValuesOf(record).run).toEqual(Object.values(runRow(record)));
  });
});

for (const engine of ENGINES) {
  describe(`insertRuns (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("appends a call once, and lets a fuller copy fill in an input the first lacked", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, [{ workflow_id: "r", status: "running" }]));
      const bare = { tool_name: "Bash", tool_input: {}, tool_use_id: "t1" };
      expect(
        await db.transaction().execute((trx) => appendToolCalls(trx, [{ workflow_id: "r", calls: [bare] }])),
      ).toBe(1);
      expect(
        await db
          .transaction()
          .execute((trx) => appendToolCalls(trx, [{ workflow_id: "r", calls: [bash("pytest -q", "t1")] }])),
      ).toBe(1);
      expect(
        await db
          .transaction()
          .execute((trx) =>
            appendToolCalls(trx, [{ workflow_id: "r", calls: [bash("pytest -q", "t1"), bare] }]),
          ),
      ).toBe(0);
      expect(
        await db
          .transaction()
          .execute((trx) => appendToolCalls(trx, [{ workflow_id: "r", calls: [bash("git status", "t2")] }])),
      ).toBe(1);
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .select(["seq", "command", "tool_use_id"])
        .orderBy("seq")
        .execute();
      expect(calls).toEqual([
        { seq: 0, command: "pytest -q", tool_use_id: "t1" },
        { seq: 1, command: "git status", tool_use_id: "t2" },
      ]);
    });

    it("stores every column of every call, in order, across inserts of several sizes", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, [{ workflow_id: "r", status: "running" }]));
      // 700 = 512 + 128 + 32 + 16 + 8 + 4: six statements.
      const calls = Array.from({ length: 700 }, (_, i) => ({
        tool_name: i % 2 === 0 ? "Bash" : "Read",
        tool_input: i % 2 === 0 ? { command: `echo ${i}` } : { file_path: `f${i}` },
        tool_use_id: `t${i}`,
        success: i % 3 === 0,
        duration_ms: i + 0.5,
        timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
        usage: {
          input_tokens: i,
          output_tokens: 2 * i,
          cache_read_tokens: 3,
          cache_creation_tokens: 4,
          cost_usd: i / 100,
        },
      }));
      expect(
        await db.transaction().execute((trx) => appendToolCalls(trx, [{ workflow_id: "r", calls: calls }])),
      ).toBe(700);
      const rows = await db.selectFrom("workflow_tool_calls").selectAll().orderBy("seq").execute();
      expect(rows.map((row) => row.seq)).toEqual(calls.map((_, i) => i));
      expect(rows[699]).toMatchObject({
        workflow_id: "r",
        tool_name: "Read",
        tool_input: JSON.stringify({ file_path: "f699" }),
        command: null,
        duration_ms: 699.5,
        timestamp: "2026-01-01T00:00:39Z",
        tool_use_id: "t699",
        input_tokens: 699,
        output_tokens: 1398,
        cache_read_tokens: 3,
        cache_creation_tokens: 4,
        cost_usd: 6.99,
      });
      expect(rows[600]).toMatchObject({
        tool_name: "Bash",
        command: "echo 600",
        success: 1,
        tool_use_id: "t600",
      });
    });

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
