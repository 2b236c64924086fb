import { createDetector, type IdentifiedWorkflowRecord, occurrencesOfRun } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { checkIntegrity } from "../integrity/check-integrity.js";
import { insertRuns } from "../runs/insert-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { type RunWithOccurrences, recordOccurrences } from "./record-occurrences.js";

const COMMANDS = ["pytest -q", "cd web && npx vitest run", "git diff", "npm run build", "npx tsc --noEmit"];

function runs(count: number): IdentifiedWorkflowRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    workflow_id: `r${i}`,
    nl_input: "Fix the failing tests",
    status: i % 7 === 0 ? "failed" : "completed",
    start_time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    duration_seconds: 30 + (i % 11) * 17.25,
    total_tokens: 1_000 + i,
    actual_cost_total: (i % 5) / 3,
    tool_calls: COMMANDS.filter((_, c) => (i + c) % 3 !== 0).map((command, c) => ({
      tool_name: "Bash",
      tool_input: { command },
      tool_use_id: `r${i}-${c}`,
    })),
  }));
}

for (const engine of ENGINES) {
  describe(`recordOccurrences (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("folds exactly the occurrences that are new, in insertion order, whatever was recorded before", async () => {
      const { db } = fresh();
      const records = runs(400);
      await db.transaction().execute((trx) => insertRuns(trx, records));
      const detect = createDetector();
      const all: RunWithOccurrences[] = records.map((record) => ({
        workflow_id: record.workflow_id,
        occurrences: occurrencesOfRun({ ...record, workflow_time: record.start_time }, detect(record)),
      }));
      const total = all.reduce((sum, run) => sum + run.occurrences.length, 0);
      // More rows than one insert statement takes, so that conflicts fall in several statements.
      expect(total).toBeGreaterThan(1_024);

      // Some runs first, scattered; then all of them: only the others are new.
      const some = all.filter((_, i) => i % 3 === 1 || i === 399);
      const first = await db.transaction().execute((trx) => recordOccurrences(trx, some));
      const everything = await db.transaction().execute((trx) => recordOccurrences(trx, all));
      const again = await db.transaction().execute((trx) => recordOccurrences(trx, all));

      const firstCount = some.reduce((sum, run) => sum + run.occurrences.length, 0);
      expect(first.newOccurrences).toBe(firstCount);
      expect(everything.newOccurrences).toBe(total - firstCount);
      expect(again).toEqual({ newOccurrences: 0, newPatterns: [] });
      const stored = await db
        .selectFrom("pattern_occurrences")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(total);
      // The integrity check recounts every statistic by folding the occurrences in id order.
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });
  });
}
