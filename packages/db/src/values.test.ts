import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { insertPattern, newWorkflow } from "./test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "./testing/dialects.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const engine of ENGINES) {
  describe(`values on ${engine}`, () => {
    const fresh = useFreshDatabase(engine);

    it("return bigint columns, counts and sums as exact JS numbers", async () => {
      const { db } = fresh();
      const big = Number.MAX_SAFE_INTEGER;
      await db
        .insertInto("workflow_history")
        .values([
          newWorkflow("wf-1", { total_tokens: big, input_tokens: 1_234_567_890_123 }),
          newWorkflow("wf-2", { total_tokens: 1, input_tokens: 1 }),
        ])
        .execute();
      const row = await db
        .selectFrom("workflow_history")
        .select(["total_tokens", "input_tokens"])
        .where("workflow_id", "=", "wf-1")
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ total_tokens: big, input_tokens: 1_234_567_890_123 });
      expect(typeof row.total_tokens).toBe("number");

      const totals = await db
        .selectFrom("workflow_history")
        .select((eb) => [eb.fn.countAll<number>().as("runs"), eb.fn.sum<number>("input_tokens").as("input")])
        .executeTakeFirstOrThrow();
      expect(totals).toEqual({ runs: 2, input: 1_234_567_890_124 });
    });

    it("return doubles with full precision", async () => {
      const { db } = fresh();
      const costs = [0.1 + 0.2, 1e-12, 123_456_789.123_456_79, 1 / 3];
      await db
        .insertInto("workflow_history")
        .values(
          costs.map((cost, i) => newWorkflow(`wf-${i}`, { actual_cost_total: cost, duration_seconds: cost })),
        )
        .execute();
      const rows = await db
        .selectFrom("workflow_history")
        .select(["actual_cost_total", "duration_seconds"])
        .orderBy("id")
        .execute();
      expect(rows.map((row) => row.actual_cost_total)).toEqual(costs);
      expect(rows.map((row) => row.duration_seconds)).toEqual(costs);

      await insertPattern(db, "test:pytest:backend", {
        cost_sum: 1 / 3,
        tokens_sum: 2 ** 40,
        tokens_sq_sum: 2 ** 80,
      });
      const pattern = await db
        .selectFrom("operation_patterns")
        .select(["cost_sum", "tokens_sum", "tokens_sq_sum", "avg_cost_with_llm"])
        .executeTakeFirstOrThrow();
      expect(pattern).toEqual({
        cost_sum: 1 / 3,
        tokens_sum: 2 ** 40,
        tokens_sq_sum: 2 ** 80,
        avg_cost_with_llm: 0,
      });
    });

    it("return averages of doubles as numbers", async () => {
      const { db } = fresh();
      await db
        .insertInto("workflow_history")
        .values([
          newWorkflow("wf-1", { actual_cost_total: 1 }),
          newWorkflow("wf-2", { actual_cost_total: 2 }),
        ])
        .execute();
      const { mean } = await db
        .selectFrom("workflow_history")
        .select((eb) => eb.fn.avg<number>("actual_cost_total").as("mean"))
        .executeTakeFirstOrThrow();
      expect(mean).toBe(1.5);
    });

    it("keep ISO-8601 text times as written and default new ones to ISO-8601 UTC", async () => {
      const { db } = fresh();
      await db
        .insertInto("workflow_history")
        .values(newWorkflow("wf-1", { start_time: "2025-03-01T10:00:00.123+02:00" }))
        .execute();
      const run = await db
        .selectFrom("workflow_history")
        .select(["start_time", "created_at", "updated_at", "retry_count"])
        .executeTakeFirstOrThrow();
      expect(run.start_time).toBe("2025-03-01T10:00:00.123+02:00");
      expect(run.created_at).toMatch(ISO);
      expect(run.updated_at).toMatch(ISO);
      expect(run.retry_count).toBe(0);
      const pattern = await db
        .selectFrom("operation_patterns")
        .selectAll()
        .where("id", "=", await insertPattern(db, "git:diff:summary"))
        .executeTakeFirstOrThrow();
      expect(pattern.created_at).toMatch(ISO);
      expect(pattern.automation_status).toBe("detected");
      expect(pattern.prediction_accuracy).toBeNull();
    });

    if (engine === "postgres") {
      it("refuse a bigint beyond Number.MAX_SAFE_INTEGER rather than round it", async () => {
        const { db } = fresh();
        await expect(sql`select 9007199254740993::bigint as n`.execute(db)).rejects.toThrow(/exactly/);
      });
    }
  });
}
