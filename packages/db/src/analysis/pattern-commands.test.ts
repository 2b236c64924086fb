import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { backfillPatterns } from "../backfill/backfill-patterns.js";
import { insertRuns } from "../runs/insert-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { highValuePatterns } from "./analysis-queries.js";
import { patternDetails } from "./pattern-details.js";
import { scriptabilityOfPatterns } from "./pattern-scriptability.js";
import { scriptableHighValuePatterns } from "./scriptable-patterns.js";

/**
 * Ten runs in two projects. Six test the back end the same way (one file or another); every run reads a
 * diff three times, with options that change from run to run, and commits with a message it wrote, mostly
 * staging in the same command: testing is scriptable, the diff barely, committing not at all.
 */
const DIFF_OPTIONS = [
  "--stat",
  "--cached",
  "--name-only",
  "--staged",
  "-w",
  "--numstat",
  "--shortstat",
  "--name-status",
  "--check",
  "--summary",
];

function history(): IdentifiedWorkflowRecord[] {
  return Array.from({ length: 10 }, (_, i) => ({
    workflow_id: `run-${i}`,
    status: "completed",
    start_time: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    total_tokens: 10_000,
    actual_cost_total: 1,
    source: { repo: i < 7 ? "acme/shop" : "acme/api", cwd: "/home/dev/x" },
    tool_calls: [
      ...(i < 6
        ? [
            {
              tool_name: "Bash",
              tool_input: { command: `cd app/server && uv run pytest -q tests/test_${i}.py` },
            },
          ]
        : []),
      { tool_name: "Read", tool_input: { file_path: "README.md" } },
      ...[0, 1, 2].map(() => ({ tool_name: "Bash", tool_input: { command: `git diff ${DIFF_OPTIONS[i]}` } })),
      {
        tool_name: "Bash",
        tool_input: {
          command: i < 8 ? `git add -A && git commit -m "Change ${i}"` : `git commit -m "Fix ${i}"`,
        },
      },
    ],
  }));
}

for (const engine of ENGINES) {
  describe(`pattern commands (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    async function backfilled() {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, history()));
      await backfillPatterns(db);
      return db;
    }

    it("details list the commands most common first, with directories and projects, and what ran together", async () => {
      const db = await backfilled();
      const tests = await patternDetails(db, "test:pytest:backend");
      expect(tests?.commands).toEqual([
        {
          command: "uv run pytest -q <paths>",
          count: 6,
          calls: 6,
          free_text: false,
          directories: [{ name: "app/server", count: 6 }],
          projects: [{ name: "acme/shop", count: 6 }],
          example: "cd app/server && uv run pytest -q tests/test_0.py",
        },
      ]);
      expect(tests?.scriptability).toMatchObject({
        top_command_share: 1,
        free_text_share: 0,
        scriptability: 1,
      });

      const commits = await patternDetails(db, "git:commit:summary");
      expect(commits?.commands.map((c) => [c.command, c.count, c.free_text])).toEqual([
        ["git add -A && git commit -m <message>", 8, true],
        ["git commit -m <message>", 2, true],
      ]);
      expect(commits?.scriptability).toMatchObject({
        top_command_share: 0.8,
        free_text_share: 1,
        scriptability: 0,
      });
      expect(commits?.run_together).toEqual([
        { pattern_signature: "git:add:summary", same_command: 8, same_run: 8 },
        { pattern_signature: "git:diff:summary", same_command: 0, same_run: 10 },
        { pattern_signature: "test:pytest:backend", same_command: 0, same_run: 6 },
      ]);
    });

    it("the scriptability of many patterns at once equals that of each pattern's details", async () => {
      const db = await backfilled();
      const rows = await highValuePatterns(db, 100);
      const all = await scriptabilityOfPatterns(
        db,
        rows.map((row) => row.id),
      );
      expect(all.size).toBe(rows.length);
      for (const row of rows) {
        const details = await patternDetails(db, String(row.id));
        expect(all.get(row.id), row.pattern_signature).toEqual(details?.scriptability);
      }
    });

    it("high-value is led by what a script can do: savings weighed by scriptability", async () => {
      const db = await backfilled();
      // By potential savings alone, a pattern of every run leads, whatever a script could do of it.
      expect((await highValuePatterns(db, 1))[0]?.pattern_signature).not.toBe("test:pytest:backend");
      const ranked = await scriptableHighValuePatterns(db, 10);
      expect(ranked.map((row) => row.pattern_signature)).toEqual([
        "test:pytest:backend",
        "git:diff:summary",
        "git:commit:summary",
        "git:add:summary",
      ]);
      expect(ranked[1]).toMatchObject({ top_command_share: 0.1, free_text_share: 0, scriptability: 0.1 });
      for (const row of ranked) {
        expect(row.scriptable_monthly_savings).toBeCloseTo(
          row.potential_monthly_savings * row.scriptability,
          12,
        );
      }
      expect(ranked[2]).toMatchObject({
        scriptability: 0,
        free_text_share: 1,
        top_command: "git add -A && git commit -m <message>",
      });
      expect((await scriptableHighValuePatterns(db, 1)).map((row) => row.pattern_signature)).toEqual([
        "test:pytest:backend",
      ]);
    });

    it("stores the project a record names, and none for a record without one", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [
            { workflow_id: "a", source: { repo: "acme/shop" } },
            { workflow_id: "b", cwd: "/srv/app" },
            { workflow_id: "c" },
          ]),
        );
      const rows = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "project"])
        .orderBy("workflow_id")
        .execute();
      expect(rows).toEqual([
        { workflow_id: "a", project: "acme/shop" },
        { workflow_id: "b", project: "/srv/app" },
        { workflow_id: "c", project: null },
      ]);
    });
  });
}
