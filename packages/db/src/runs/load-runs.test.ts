import type { ToolCall } from "@patternloop/core";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { insertRuns } from "./insert-runs.js";
import { loadRunsForDetection } from "./load-queued-runs.js";
import { loadRuns, loadRunsByRowIds } from "./load-runs.js";

const usage = { input_tokens: 1200, output_tokens: 80, cache_read_tokens: 30_000, cache_creation_tokens: 5 };

const CALLS: ToolCall[] = [
  {
    tool_name: "Bash",
    tool_input: { command: "cd app/server && uv run pytest -q", description: "tests" },
    success: true,
    duration_ms: 0.1 + 0.2,
    timestamp: "2026-01-03T10:00:01.000Z",
    tool_use_id: "t1",
    usage: { ...usage, cost_usd: 1 / 3 },
  },
  {
    tool_name: "Edit",
    tool_input: { file_path: "docs/guide.md", old_string: 'say "hi"\n', new_string: "say\u00e9 \u{1f600}" },
    success: true,
    duration_ms: 12,
    timestamp: "2026-01-03T10:00:02.000Z",
    tool_use_id: "t2",
    usage: { ...usage, cost_usd: null },
  },
  { tool_name: "Read", tool_input: { file_path: "app/server/main.py" }, success: false, tool_use_id: "t3" },
  { tool_name: "Glob", success: null },
  {
    tool_name: "Write",
    tool_input: { file_path: "README.md", content: "x".repeat(5000) },
    tool_use_id: "t5",
  },
  { tool_name: "Bash", tool_input: { command: "git status" }, success: true, duration_ms: 1e-7 / 3 },
];

/** What a load gives back of {@link CALLS}: Bash commands and edit inputs, nulls for what is missing. */
const LOADED: ToolCall[] = [
  {
    tool_name: "Bash",
    tool_input: { command: "cd app/server && uv run pytest -q" },
    success: true,
    duration_ms: 0.1 + 0.2,
    timestamp: "2026-01-03T10:00:01.000Z",
    tool_use_id: "t1",
    usage: { ...usage, cost_usd: 1 / 3 },
  },
  {
    tool_name: "Edit",
    tool_input: { file_path: "docs/guide.md", old_string: 'say "hi"\n', new_string: "say\u00e9 \u{1f600}" },
    success: true,
    duration_ms: 12,
    timestamp: "2026-01-03T10:00:02.000Z",
    tool_use_id: "t2",
    usage: { ...usage, cost_usd: null },
  },
  {
    tool_name: "Read",
    tool_input: {},
    success: false,
    duration_ms: null,
    timestamp: null,
    tool_use_id: "t3",
    usage: null,
  },
  {
    tool_name: "Glob",
    tool_input: {},
    success: null,
    duration_ms: null,
    timestamp: null,
    tool_use_id: null,
    usage: null,
  },
  {
    tool_name: "Write",
    tool_input: { file_path: "README.md", content: "x".repeat(5000) },
    success: null,
    duration_ms: null,
    timestamp: null,
    tool_use_id: "t5",
    usage: null,
  },
  {
    tool_name: "Bash",
    tool_input: { command: "git status" },
    success: true,
    duration_ms: 1e-7 / 3,
    timestamp: null,
    tool_use_id: null,
    usage: null,
  },
];

/**
 * What the default detector and the statistics read of them: no times, only the path of a file edit, and
 * only the name and success of a call that is neither a Bash call nor a file edit.
 */
const forDetection = (calls: ToolCall[]): ToolCall[] =>
  calls.map(({ duration_ms: _duration, timestamp: _timestamp, ...call }) => {
    if (!["Bash", "Edit", "Write", "MultiEdit", "NotebookEdit"].includes(call.tool_name))
      return { tool_name: call.tool_name, tool_input: {}, success: call.success };
    return ["Edit", "Write"].includes(call.tool_name) && (call.tool_input as { file_path?: string }).file_path
      ? { ...call, tool_input: { file_path: (call.tool_input as { file_path: string }).file_path } }
      : call;
  });

for (const engine of ENGINES) {
  describe(`loadRuns (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    async function store() {
      const { db } = fresh();
      await db.transaction().execute((trx) =>
        insertRuns(trx, [
          { workflow_id: "a", status: "completed", start_time: "2026-01-03T10:00:00Z", tool_calls: CALLS },
          { workflow_id: "b", status: "failed", error_message: "boom" },
        ]),
      );
      const ids = await db
        .selectFrom("workflow_history")
        .select(["id", "workflow_id"])
        .orderBy("id")
        .execute();
      return { db, ids: ids.map((row) => row.id) };
    }

    it("gives every tool call in order, with what detection and statistics read", async () => {
      const { db, ids } = await store();
      const [a, b] = await loadRuns(db, ["a", "b"]);
      expect(a?.tool_calls).toStrictEqual(LOADED);
      expect(a).toMatchObject({
        workflow_id: "a",
        status: "completed",
        workflow_time: "2026-01-03T10:00:00.000Z",
      });
      expect(b?.tool_calls).toStrictEqual([]);
      expect(b).toMatchObject({ workflow_id: "b", status: "failed", error_message: "boom" });
      // In the order asked, unknown ids left out.
      expect(
        (await loadRunsByRowIds(db, [ids[1] ?? 0, 999, ids[0] ?? 0])).map((run) => run.workflow_id),
      ).toEqual(["b", "a"]);
      expect((await loadRunsByRowIds(db, ids))[0]).toStrictEqual(a);
      const [lean] = await loadRunsForDetection(db, ids);
      expect(lean).toMatchObject({ ...a, tool_calls: forDetection(LOADED) });
    });

    it("orders calls by seq and reads a hand-edited row as the plain read does", async () => {
      const { db, ids } = await store();
      // Reverse the calls' order, make one input unreadable and one usage incomplete.
      await sql`update workflow_tool_calls set seq = 100 - seq where workflow_id = 'a'`.execute(db);
      await db
        .updateTable("workflow_tool_calls")
        .set({ tool_input: "{not json" })
        .where("tool_use_id", "=", "t2")
        .execute();
      await db
        .updateTable("workflow_tool_calls")
        .set({ output_tokens: null })
        .where("tool_use_id", "=", "t1")
        .execute();
      const expected = [
        ...LOADED.slice(2).reverse(),
        { ...LOADED[1], tool_input: {} },
        { ...LOADED[0], usage: null },
      ] as ToolCall[];
      expect((await loadRuns(db, ["a"]))[0]?.tool_calls).toStrictEqual(expected);
      expect([...(await loadRunsForDetection(db, ids))][0]?.tool_calls).toMatchObject(forDetection(expected));
    });

    if (engine === "sqlite") {
      it("reads a run whose input is a BLOB, which JSON cannot hold, the plain way", async () => {
        const { db, ids } = await store();
        await sql`update workflow_tool_calls set tool_input = cast(tool_input as blob) where tool_use_id = 't2'`.execute(
          db,
        );
        expect((await loadRuns(db, ["a"]))[0]?.tool_calls).toStrictEqual(LOADED);
        expect([...(await loadRunsForDetection(db, ids))][0]?.tool_calls).toMatchObject(forDetection(LOADED));
      });
    }
  });
}
