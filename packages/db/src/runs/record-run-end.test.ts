import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { insertRuns } from "./insert-runs.js";
import { recordRunEnd } from "./record-run-end.js";

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
  });
}
