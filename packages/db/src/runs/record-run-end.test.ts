import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { insertRuns } from "./insert-runs.js";
import { recordRunEnd, recordRunEnds } from "./record-run-end.js";

for (const engine of ENGINES) {
  describe(`recordRunEnd (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("sets every column of the end on that run only", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) =>
        insertRuns(trx, [
          { workflow_id: "r1", status: "running" },
          { workflow_id: "r2", status: "running" },
        ]),
      );
      const end = {
        status: "failed" as const,
        end_time: "2026-01-01T00:10:00.000Z",
        duration_seconds: 600.5,
        error_message: 'it\'s broken; "really"',
        retry_count: 2,
        input_tokens: 1_000,
        output_tokens: 200,
        cache_read_tokens: 30,
        cache_creation_tokens: 4,
        total_tokens: 1_234,
        actual_cost_total: 0.125,
        model_used: "claude-sonnet-4",
        updated_at: "2026-01-01T00:10:01.000Z",
        patterns_processed_at: "2026-01-01T00:10:01.000Z",
      };
      await db.transaction().execute((trx) => recordRunEnd(trx, "r1", end));
      const rows = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", ...(Object.keys(end) as (keyof typeof end)[])])
        .orderBy("workflow_id")
        .execute();
      expect(rows[0]).toEqual({ workflow_id: "r1", ...end });
      expect(rows[1]).toMatchObject({
        workflow_id: "r2",
        status: "running",
        end_time: null,
        error_message: null,
      });
    });

    it("records the ends of several runs as one each would, nulls included, leaving the others alone", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) =>
        insertRuns(
          trx,
          ["r1", "r2", "r3", "r4"].map((workflow_id) => ({ workflow_id, status: "running" as const })),
        ),
      );
      const end = (i: number) => ({
        status: i % 2 === 0 ? ("completed" as const) : ("failed" as const),
        end_time: `2026-01-01T00:1${i}:00.000Z`,
        duration_seconds: i === 2 ? null : 600.5 + i,
        error_message: i === 1 ? 'it\'s broken; "really"' : null,
        retry_count: i,
        input_tokens: i === 3 ? null : 9_007_199_254_740_991 - i,
        output_tokens: 200 + i,
        cache_read_tokens: null,
        cache_creation_tokens: 4,
        total_tokens: 1_234 + i,
        actual_cost_total: i === 2 ? null : 0.125 * i,
        model_used: i === 3 ? null : "claude-sonnet-4",
        updated_at: "2026-01-01T00:10:01.000Z",
        patterns_processed_at: "2026-01-01T00:10:01.000Z",
      });
      const ends = [1, 2, 3].map((i) => ({ workflowId: `r${i}`, end: end(i) }));
      await db.transaction().execute((trx) => recordRunEnds(trx, ends));
      const rows = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", ...(Object.keys(end(1)) as (keyof ReturnType<typeof end>)[])])
        .orderBy("workflow_id")
        .execute();
      expect(rows.slice(0, 3)).toEqual(
        ends.map(({ workflowId, end }) => ({ workflow_id: workflowId, ...end })),
      );
      expect(rows[3]).toMatchObject({ workflow_id: "r4", status: "running", end_time: null });
    });
  });
}
