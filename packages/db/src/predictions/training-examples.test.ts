import { describe, expect, it } from "vitest";
import { insertPattern, newWorkflow } from "../test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { type TrainingExample, trainingExamples } from "./training-examples.js";

for (const engine of ENGINES) {
  describe(`training examples (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("yields finished runs with recorded patterns, untimed first, then by workflow time", async () => {
      const { db } = fresh();
      const processed = { patterns_processed_at: "2025-04-01T00:00:00.000Z" };
      await db
        .insertInto("workflow_history")
        .values([
          newWorkflow("late", { ...processed, workflow_time: "2025-03-02T00:00:00.000Z", nl_input: "late" }),
          newWorkflow("early", { ...processed, workflow_time: "2025-03-01T00:00:00.000Z" }),
          newWorkflow("untimed", { ...processed, workflow_time: null, workflow_template: "chore" }),
          newWorkflow("failed", { ...processed, status: "failed" }),
          newWorkflow("running", { ...processed, status: "running" }),
          newWorkflow("unprocessed"),
        ])
        .execute();
      const pytest = await insertPattern(db, "test:pytest:backend");
      const diff = await insertPattern(db, "git:diff:summary");
      await db
        .insertInto("pattern_occurrences")
        .values([
          { pattern_id: pytest, workflow_id: "late" },
          { pattern_id: diff, workflow_id: "late" },
          { pattern_id: diff, workflow_id: "unprocessed" },
        ])
        .execute();
      const examples: TrainingExample[] = [];
      for await (const example of trainingExamples(db)) examples.push(example);
      expect(examples.map((example) => example.workflow_id)).toEqual(["untimed", "early", "failed", "late"]);
      expect(examples[0]).toEqual({
        workflow_id: "untimed",
        nl_input: "run the backend tests",
        workflow_template: "chore",
        signatures: [],
      });
      expect(examples[3]?.signatures.sort()).toEqual(["git:diff:summary", "test:pytest:backend"]);
    });
  });
}
