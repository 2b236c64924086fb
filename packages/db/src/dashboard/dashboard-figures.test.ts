import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { backfillPatterns } from "../backfill/backfill-patterns.js";
import { insertRuns } from "../runs/insert-runs.js";
import { insertStartedRun } from "../runs/insert-started-run.js";
import { storedOccurrences } from "../test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { dailyRuns } from "./daily-runs.js";
import { historyTotals } from "./history-totals.js";
import { historyVersion } from "./history-version.js";
import { filterPatterns, patternFilterChoices } from "./pattern-list.js";
import { patternOccurrencesByDay } from "./pattern-timeline.js";

/** Ten runs on ten days, $1 each; the first six test the back end in acme/shop, every run reads a diff. */
function history(): IdentifiedWorkflowRecord[] {
  return Array.from({ length: 10 }, (_, i) => ({
    workflow_id: `run-${i}`,
    status: "completed",
    start_time: new Date(Date.UTC(2026, 0, 1 + i, 12)).toISOString(),
    total_tokens: 10_000,
    actual_cost_total: 1,
    source: { repo: i < 6 ? "acme/shop" : "acme/api", cwd: "/home/dev/x" },
    tool_calls: [
      ...(i < 6 ? [{ tool_name: "Bash", tool_input: { command: "cd app/server && uv run pytest -q" } }] : []),
      { tool_name: "Bash", tool_input: { command: "git diff --stat" } },
    ],
  }));
}

for (const engine of ENGINES) {
  describe(`the dashboard's figures (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    async function backfilled() {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, history()));
      await backfillPatterns(db);
      return db;
    }

    it("totals the runs, their cost and the cost attributed to patterns", async () => {
      const db = await backfilled();
      const attributed = (await storedOccurrences(db)).reduce((sum, o) => sum + (o.cost_attributed ?? 0), 0);
      const totals = await historyTotals(db);
      expect(totals).toMatchObject({
        runs: 10,
        completed_runs: 10,
        failed_runs: 0,
        costed_runs: 10,
        projects: 2,
      });
      expect(totals.total_cost).toBeCloseTo(10, 9);
      expect(attributed).toBeGreaterThan(0);
      expect(totals.pattern_cost).toBeCloseTo(attributed, 9);
    });

    it("counts runs and cost per day, and a pattern's occurrences per day", async () => {
      const db = await backfilled();
      const days = await dailyRuns(db);
      expect(days).toHaveLength(10);
      expect(days[0]).toEqual({ day: "2026-01-01", runs: 1, cost: 1 });
      const [tests] = await filterPatterns(db, { category: "test" });
      expect(tests?.pattern_signature).toBe("test:pytest:backend");
      const byDay = await patternOccurrencesByDay(db, tests?.id ?? 0);
      expect(byDay.map((d) => [d.day, d.occurrences])).toEqual(
        Array.from({ length: 6 }, (_, i) => [`2026-01-0${i + 1}`, 1]),
      );
    });

    it("filters the patterns by category, status and the project of their runs", async () => {
      const db = await backfilled();
      const signatures = async (filter: Parameters<typeof filterPatterns>[1]) =>
        (await filterPatterns(db, filter)).map((row) => row.pattern_signature).sort();
      expect(await signatures({})).toEqual(["git:diff:summary", "test:pytest:backend"]);
      expect(await signatures({ project: "acme/api" })).toEqual(["git:diff:summary"]);
      expect(await signatures({ project: "acme/shop" })).toEqual(["git:diff:summary", "test:pytest:backend"]);
      expect(await signatures({ category: "git" })).toEqual(["git:diff:summary"]);
      expect(await signatures({ status: "approved" })).toEqual([]);
      // A project with few of the runs (its patterns are found from its runs, not from each pattern's).
      const [first] = history();
      await db.transaction().execute((trx) =>
        insertRuns(trx, [
          {
            ...first,
            workflow_id: "run-docs",
            source: { repo: "acme/docs", cwd: "/x" },
            tool_calls: first?.tool_calls?.slice(1),
          },
        ]),
      );
      await backfillPatterns(db);
      expect(await signatures({ project: "acme/docs" })).toEqual(["git:diff:summary"]);
      expect(await signatures({ project: "acme/none" })).toEqual([]);
      expect(await signatures({ project: "acme/shop" })).toEqual(["git:diff:summary", "test:pytest:backend"]);
      expect(await patternFilterChoices(db)).toEqual({
        categories: ["git", "test"],
        statuses: ["detected"],
        projects: ["acme/api", "acme/docs", "acme/shop"],
      });
    });

    it("has a version that holds while nothing is written and moves with a write", async () => {
      const db = await backfilled();
      const before = await historyVersion(db);
      expect(await historyVersion(db)).toBe(before);
      await insertStartedRun(db, { workflow_id: "run-later", start_time: "2026-02-01T00:00:00.000Z" });
      expect(await historyVersion(db)).not.toBe(before);
    });
  });
}
