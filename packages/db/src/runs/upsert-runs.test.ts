import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { backfillPatterns } from "../backfill/backfill-patterns.js";
import { checkIntegrity } from "../integrity/check-integrity.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { upsertRuns } from "./upsert-runs.js";

const run = (
  id: string,
  day: number,
  commands: string[],
  overrides: Partial<IdentifiedWorkflowRecord> = {},
): IdentifiedWorkflowRecord => ({
  workflow_id: id,
  nl_input: "Fix the date parsing bug",
  status: "completed",
  start_time: `2026-01-${String(day).padStart(2, "0")}T10:00:00.000Z`,
  end_time: `2026-01-${String(day).padStart(2, "0")}T10:05:00.000Z`,
  duration_seconds: 300,
  total_tokens: 10_000,
  actual_cost_total: 0.3,
  tool_calls: commands.map((command, i) => ({
    tool_name: "Bash",
    tool_input: { command },
    success: true,
    duration_ms: 1500.5,
    tool_use_id: `${id}-${i}`,
    usage: {
      input_tokens: 10,
      output_tokens: 20,
      cache_read_tokens: 300,
      cache_creation_tokens: 4,
      cost_usd: 0.0123,
    },
  })),
  ...overrides,
});

for (const engine of ENGINES) {
  describe(`upsertRuns (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    const store = (records: IdentifiedWorkflowRecord[]) =>
      fresh()
        .db.transaction()
        .execute((trx) => upsertRuns(trx, records));
    const contents = async () => {
      const { db } = fresh();
      const runs = await db.selectFrom("workflow_history").selectAll().orderBy("workflow_id").execute();
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .selectAll()
        .orderBy("workflow_id")
        .orderBy("seq")
        .execute();
      return {
        runs: runs.map(({ id: _i, created_at: _c, updated_at: _u, ...row }) => row),
        calls: calls.map(({ id: _i, ...row }) => row),
      };
    };

    it("inserts new runs, replaces changed ones whole, and leaves the same ones alone", async () => {
      const growing = run("r2", 2, ["pytest -q"], { status: "running", end_time: null, total_tokens: 500 });
      expect(await store([run("r1", 1, ["git diff"]), growing])).toMatchObject({
        inserted: 2,
        updated: 0,
        unchanged: 0,
        toolCalls: 2,
      });
      const grown = run("r2", 2, ["pytest -q", "ruff check ."], { total_tokens: 900 });
      expect(await store([run("r1", 1, ["git diff"]), grown, run("r3", 3, [])])).toMatchObject({
        inserted: 1,
        updated: 1,
        unchanged: 1,
        toolCalls: 2,
      });
      const afterTwoSteps = await contents();
      // Storing the same runs again changes nothing at all.
      expect(await store([run("r1", 1, ["git diff"]), grown, run("r3", 3, [])])).toMatchObject({
        inserted: 0,
        updated: 0,
        unchanged: 3,
        toolCalls: 0,
      });
      expect(await contents()).toEqual(afterTwoSteps);
      const [r2] = afterTwoSteps.runs.filter((row) => row.workflow_id === "r2");
      expect(r2).toMatchObject({
        status: "completed",
        total_tokens: 900,
        end_time: "2026-01-02T10:05:00.000Z",
      });
      expect(afterTwoSteps.calls.filter((call) => call.workflow_id === "r2")).toMatchObject([
        { seq: 0, command: "pytest -q" },
        { seq: 1, command: "ruff check ." },
      ]);
    });

    it("takes back the patterns of a changed run already backfilled, and the next backfill records it anew", async () => {
      const { db } = fresh();
      await store([
        run("r1", 1, ["cd app/server && uv run pytest -q"]),
        run("r2", 2, ["cd app/server && pytest", "git diff --stat"]),
        run("r3", 3, ["git diff"]),
      ]);
      await backfillPatterns(db, { worker: false });
      const grown = run("r2", 2, ["cd app/server && pytest", "npm run build"], {
        status: "failed",
        duration_seconds: 900,
        total_tokens: 30_000,
      });
      expect(await store([grown])).toMatchObject({ updated: 1, reprocess: 1 });
      const occurrences = await db.selectFrom("pattern_occurrences").select("workflow_id").execute();
      expect(occurrences.map((row) => row.workflow_id).sort()).toEqual(["r1", "r3"]);
      expect((await checkIntegrity(db)).violations).toEqual([]);
      expect(await backfillPatterns(db, { worker: false })).toMatchObject({ processed: 1, errors: 0 });
      expect((await checkIntegrity(db)).violations).toEqual([]);
      const patterns = await db
        .selectFrom("operation_patterns")
        .select(["pattern_signature", "occurrence_count"])
        .orderBy("pattern_signature")
        .execute();
      expect(patterns).toEqual([
        { pattern_signature: "build:generic:all", occurrence_count: 1 },
        { pattern_signature: "git:diff:summary", occurrence_count: 1 },
        { pattern_signature: "test:pytest:backend", occurrence_count: 2 },
      ]);
    });
  });
}
