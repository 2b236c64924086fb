import { describe, expect, it } from "vitest";
import { countPatterns } from "../patterns/count-patterns.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { patternStatus } from "./pattern-status.js";
import { patternStatusHistory } from "./pattern-status-history.js";
import { patternsByStatus } from "./patterns-by-status.js";
import { promotablePatterns } from "./promotable-patterns.js";
import { recordStatusChange } from "./record-status-change.js";

/** The LLM cost per use that makes 12 uses save this much a month (no history span: 12 uses a month). */
const costSaving = (monthly: number) => monthly / (0.95 * 12);

const QUALIFYING = {
  occurrence_count: 12,
  confidence_score: 70,
  avg_cost_with_llm: costSaving(3),
  prediction_accuracy: 0.9,
  validated_count: 6,
};

const THRESHOLDS = {
  minOccurrences: 10,
  minConfidence: 60,
  minMonthlySavings: 1,
  minPredictionAccuracy: 0.8,
  minValidatedPredictions: 5,
};

for (const engine of ENGINES) {
  describe(`pattern status queries (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    async function seed() {
      const { db } = fresh();
      await db
        .insertInto("operation_patterns")
        .values([
          {
            pattern_signature: "a:a:a",
            pattern_type: "test",
            ...QUALIFYING,
            avg_cost_with_llm: costSaving(2),
          },
          {
            pattern_signature: "b:b:b",
            pattern_type: "test",
            ...QUALIFYING,
            avg_cost_with_llm: costSaving(1),
            validated_count: 4,
          },
          { pattern_signature: "c:c:c", pattern_type: "test", ...QUALIFYING },
        ])
        .execute();
      return db;
    }

    it("finds a pattern's status by id or by signature", async () => {
      const db = await seed();
      const byName = await patternStatus(db, "c:c:c");
      expect(byName).toMatchObject({ pattern_signature: "c:c:c", automation_status: "detected" });
      expect(await patternStatus(db, byName?.id ?? -1)).toEqual(byName);
      expect(await patternStatus(db, "z:z:z")).toBeUndefined();
      expect(await countPatterns(db)).toBe(3);
    });

    it("moves a status only from the one read, recording each move oldest first", async () => {
      const db = await seed();
      const id = (await patternStatus(db, "a:a:a"))?.id ?? -1;
      const move = { pattern_id: id, changed_by: "alice", note: null };
      expect(await recordStatusChange(db, { ...move, from: "detected", to: "candidate" })).toBe(true);
      // Read as detected by a writer that came second: the pattern has moved, nothing changes.
      expect(await recordStatusChange(db, { ...move, from: "detected", to: "deprecated" })).toBe(false);
      expect(
        await recordStatusChange(db, { ...move, from: "candidate", to: "detected", note: "flaky" }),
      ).toBe(true);
      expect(await patternStatusHistory(db, "a:a:a")).toMatchObject([
        { from_status: "detected", to_status: "candidate", changed_by: "alice", note: null },
        { from_status: "candidate", to_status: "detected", changed_by: "alice", note: "flaky" },
      ]);
      expect(await patternStatusHistory(db, "z:z:z")).toEqual([]);
    });

    it("lists patterns by status, largest savings first, and those that qualify for promotion", async () => {
      const db = await seed();
      expect((await patternsByStatus(db, "detected")).map((p) => p.pattern_signature)).toEqual([
        "c:c:c",
        "a:a:a",
        "b:b:b",
      ]);
      expect(await patternsByStatus(db, "candidate")).toEqual([]);
      expect((await promotablePatterns(db, THRESHOLDS)).map((p) => p.pattern_signature)).toEqual([
        "a:a:a",
        "c:c:c",
      ]);
      // One a reviewer sent back from candidate stays with the reviewers.
      const id = (await patternStatus(db, "c:c:c"))?.id ?? -1;
      const move = { pattern_id: id, changed_by: "alice", note: null };
      await recordStatusChange(db, { ...move, from: "detected", to: "candidate" });
      await recordStatusChange(db, { ...move, from: "candidate", to: "detected" });
      expect((await promotablePatterns(db, THRESHOLDS)).map((p) => p.pattern_signature)).toEqual(["a:a:a"]);
    });
  });
}
