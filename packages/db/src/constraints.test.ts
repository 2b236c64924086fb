import { describe, expect, it } from "vitest";
import { insertPattern, insertWorkflows, newWorkflow } from "./test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "./testing/dialects.js";

// Every rejection here comes from the database itself: these tests write straight through Kysely.
for (const engine of ENGINES) {
  describe(`constraints on ${engine}`, () => {
    const fresh = useFreshDatabase(engine);

    it("refuse a second pattern with the same signature", async () => {
      const { db } = fresh();
      await insertPattern(db, "test:pytest:backend");
      await expect(insertPattern(db, "test:pytest:backend")).rejects.toThrow(/unique/i);
      expect(await db.selectFrom("operation_patterns").select("id").execute()).toHaveLength(1);
    });

    it("refuse a second occurrence of one pattern in one workflow", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      const patternId = await insertPattern(db, "test:pytest:backend");
      const occurrence = { pattern_id: patternId, workflow_id: "wf-1" };
      await db.insertInto("pattern_occurrences").values(occurrence).execute();
      await expect(db.insertInto("pattern_occurrences").values(occurrence).execute()).rejects.toThrow(
        /unique/i,
      );
    });

    it("let a conflicting occurrence be skipped with on conflict do nothing", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      const patternId = await insertPattern(db, "test:pytest:backend");
      for (let i = 0; i < 2; i++) {
        await db
          .insertInto("pattern_occurrences")
          .values({ pattern_id: patternId, workflow_id: "wf-1" })
          .onConflict((oc) => oc.columns(["pattern_id", "workflow_id"]).doNothing())
          .execute();
      }
      expect(await db.selectFrom("pattern_occurrences").select("id").execute()).toHaveLength(1);
    });

    it("refuse an occurrence of a workflow that does not exist", async () => {
      const { db } = fresh();
      const patternId = await insertPattern(db, "test:pytest:backend");
      await expect(
        db.insertInto("pattern_occurrences").values({ pattern_id: patternId, workflow_id: "nope" }).execute(),
      ).rejects.toThrow(/foreign key/i);
    });

    it("refuse an occurrence of a pattern that does not exist", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      await expect(
        db.insertInto("pattern_occurrences").values({ pattern_id: 999, workflow_id: "wf-1" }).execute(),
      ).rejects.toThrow(/foreign key/i);
    });

    it("refuse a second prediction of one pattern for one workflow, and one outside 0–100", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      const patternId = await insertPattern(db, "test:pytest:backend");
      const prediction = {
        workflow_id: "wf-1",
        pattern_id: patternId,
        pattern_signature: "test:pytest:backend",
        predicted_confidence: 80,
      };
      await db.insertInto("pattern_predictions").values(prediction).execute();
      await expect(db.insertInto("pattern_predictions").values(prediction).execute()).rejects.toThrow(
        /unique/i,
      );
      await insertWorkflows(db, "wf-2");
      await expect(
        db
          .insertInto("pattern_predictions")
          .values({ ...prediction, workflow_id: "wf-2", predicted_confidence: 101 })
          .execute(),
      ).rejects.toThrow(/check/i);
    });

    it("refuse a duplicate workflow id, an unknown status and an unknown automation status", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      await expect(insertWorkflows(db, "wf-1")).rejects.toThrow(/unique/i);
      await expect(
        db
          .insertInto("workflow_history")
          .values(newWorkflow("wf-2", { status: "done" as never }))
          .execute(),
      ).rejects.toThrow(/check/i);
      await expect(
        insertPattern(db, "git:diff:summary", { automation_status: "shipped" as never }),
      ).rejects.toThrow(/check/i);
    });

    it("keep tool calls unique per (workflow, seq) and (workflow, tool_use_id), NULL ids apart", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      const call = { workflow_id: "wf-1", tool_name: "Bash", command: "pytest -q" };
      await db
        .insertInto("workflow_tool_calls")
        .values([
          { ...call, seq: 1, tool_use_id: null },
          { ...call, seq: 2, tool_use_id: null },
          { ...call, seq: 3, tool_use_id: "toolu_1" },
        ])
        .execute();
      await expect(
        db
          .insertInto("workflow_tool_calls")
          .values({ ...call, seq: 1 })
          .execute(),
      ).rejects.toThrow(/unique/i);
      await expect(
        db
          .insertInto("workflow_tool_calls")
          .values({ ...call, seq: 4, tool_use_id: "toolu_1" })
          .execute(),
      ).rejects.toThrow(/unique/i);
    });

    it("delete a workflow's tool calls, occurrences and predictions with it", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1", "wf-2");
      const patternId = await insertPattern(db, "test:pytest:backend");
      for (const workflowId of ["wf-1", "wf-2"]) {
        await db
          .insertInto("pattern_occurrences")
          .values({ pattern_id: patternId, workflow_id: workflowId })
          .execute();
        await db
          .insertInto("pattern_predictions")
          .values({
            workflow_id: workflowId,
            pattern_id: patternId,
            pattern_signature: "test:pytest:backend",
            predicted_confidence: 50,
          })
          .execute();
        await db
          .insertInto("workflow_tool_calls")
          .values({ workflow_id: workflowId, seq: 1, tool_name: "Bash" })
          .execute();
      }
      await db.deleteFrom("workflow_history").where("workflow_id", "=", "wf-1").execute();
      for (const table of ["pattern_occurrences", "pattern_predictions", "workflow_tool_calls"] as const) {
        const rows = await db.selectFrom(table).select("workflow_id").execute();
        expect(rows, table).toEqual([{ workflow_id: "wf-2" }]);
      }
    });

    it("delete a pattern's occurrences, predictions and status history with it", async () => {
      const { db } = fresh();
      await insertWorkflows(db, "wf-1");
      const patternId = await insertPattern(db, "test:pytest:backend");
      await db
        .insertInto("pattern_occurrences")
        .values({ pattern_id: patternId, workflow_id: "wf-1" })
        .execute();
      await db
        .insertInto("pattern_status_history")
        .values({
          pattern_id: patternId,
          from_status: "detected",
          to_status: "candidate",
          changed_by: "system",
        })
        .execute();
      await db.deleteFrom("operation_patterns").where("id", "=", patternId).execute();
      expect(await db.selectFrom("pattern_occurrences").select("id").execute()).toEqual([]);
      expect(await db.selectFrom("pattern_status_history").select("id").execute()).toEqual([]);
    });

    it("keep ingest sources unique per (kind, source)", async () => {
      const { db } = fresh();
      const source = { kind: "claude-transcript", source: "/logs/a.jsonl", offset_bytes: 10 };
      await db.insertInto("ingest_sources").values(source).execute();
      await expect(db.insertInto("ingest_sources").values(source).execute()).rejects.toThrow(
        /unique|duplicate/i,
      );
      await db
        .insertInto("ingest_sources")
        .values({ ...source, kind: "other" })
        .execute();
    });
  });
}
