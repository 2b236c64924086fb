import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { recordToolScript } from "../automation/tool-script-path.js";
import { backfillPatterns } from "../backfill/backfill-patterns.js";
import { patternStatus } from "../lifecycle/pattern-status.js";
import { recordStatusChange } from "../lifecycle/record-status-change.js";
import { insertRuns } from "../runs/insert-runs.js";
import type { Database } from "../schema/database.js";
import type { AutomationStatus } from "../schema/operation-patterns-table.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { realizedSavings } from "./realized-savings.js";

const SIGNATURE = "test:pytest:backend";
/** `_` and `%` are LIKE wildcards: a path with them must still be matched literally. */
const SCRIPT = ".claude/skills/back_end/run%1.sh";
const ACTIVATION = "2026-03-01T00:00:00.000Z";
const DAY = 86_400_000;

/**
 * 120 runs, one a day from 2026-01-01: every other run tests the back end. Before the activation each such
 * run runs pytest; after it, two runs in three run the script instead (one of them under a look-alike path
 * the wildcards would match, which still counts as the raw command's absence only: it is neither).
 */
function history(): IdentifiedWorkflowRecord[] {
  return Array.from({ length: 120 }, (_, i) => {
    const start = Date.UTC(2026, 0, 1) + i * DAY;
    const after = start >= Date.parse(ACTIVATION);
    const tests = i % 2 === 0;
    const command = !after || i % 6 === 0 ? "cd app/server && uv run pytest -q" : `bash ${SCRIPT}`;
    return {
      workflow_id: `run-${String(i).padStart(3, "0")}`,
      status: "completed",
      start_time: new Date(start).toISOString(),
      total_tokens: 10_000,
      actual_cost_total: 1 + (i % 5) / 10,
      tool_calls: [
        { tool_name: "Read", tool_input: { file_path: "README.md" } },
        { tool_name: "Bash", tool_input: { command: "git status" } },
        ...(tests ? [{ tool_name: "Bash", tool_input: { command } }] : []),
        ...(i === 101
          ? [{ tool_name: "Bash", tool_input: { command: "bash .claude/skills/backXend/run11.sh" } }]
          : []),
        ...(i === 103
          ? [{ tool_name: "Bash", tool_input: { command: `bash ${SCRIPT.toUpperCase()}` } }]
          : []),
      ],
    };
  });
}

async function move(db: Kysely<Database>, to: AutomationStatus, at?: string) {
  const row = await patternStatus(db, SIGNATURE);
  if (row === undefined) throw new Error("pattern not detected");
  await recordStatusChange(db, {
    pattern_id: row.id,
    from: row.automation_status,
    to,
    changed_by: "alice",
    note: "scripted",
    at,
  });
}

for (const engine of ENGINES) {
  describe(`realized savings (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    async function backfilled() {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, history()));
      await backfillPatterns(db);
      return db;
    }

    it("lists only implemented or active patterns", async () => {
      const db = await backfilled();
      await move(db, "candidate");
      await move(db, "approved");
      expect(await realizedSavings(db)).toEqual([]);
    });

    it("splits the runs at the activation and tells the script's runs from the raw command's", async () => {
      const db = await backfilled();
      for (const to of ["candidate", "approved"] as const) await move(db, to);
      await move(db, "implemented", ACTIVATION);
      expect(await recordToolScript(db, SIGNATURE, SCRIPT)).toBe(true);
      expect(await recordToolScript(db, "no:such:pattern", SCRIPT)).toBe(false);

      const [result, ...others] = await realizedSavings(db);
      expect(others).toEqual([]);
      expect(result).toMatchObject({
        pattern_signature: SIGNATURE,
        automation_status: "implemented",
        tool_script_path: SCRIPT,
        activated_at: ACTIVATION,
      });
      // Jan and Feb: 59 runs before, 61 from March 1st on.
      expect(result?.before).toMatchObject({ runs: 59, raw_runs: 30, script_runs: 0, script_share: 0 });
      // After: 30 testing runs, those with i % 6 === 0 (10) ran pytest, the 20 others the script.
      expect(result?.after).toMatchObject({ runs: 61, raw_runs: 10, script_runs: 20 });
      expect(result?.after.script_share).toBeCloseTo(20 / 30, 12);

      const stored = await db
        .selectFrom("pattern_occurrences as po")
        .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
        .select(["po.workflow_time", "po.cost_attributed"])
        .where("op.pattern_signature", "=", SIGNATURE)
        .execute();
      const sum = (after: boolean) =>
        stored
          .filter((row) => (row.workflow_time ?? "") >= ACTIVATION === after)
          .reduce((total, row) => total + (row.cost_attributed ?? 0), 0);
      expect(result?.before.cost_per_run).toBeCloseTo(sum(false) / 59, 12);
      expect(result?.after.cost_per_run).toBeCloseTo(sum(true) / 61, 12);
      expect(result?.before.cost_per_use).toBeCloseTo(sum(false) / 30, 12);
      expect(result?.saving_per_run).toBeGreaterThan(0);
      expect(result?.verdict).toBe("saving");
      expect(result?.interval?.lower).toBeGreaterThan(0);
    });

    it("measures from the last time the pattern became implemented", async () => {
      const db = await backfilled();
      for (const to of ["candidate", "approved"] as const) await move(db, to);
      await move(db, "implemented", "2026-02-01T00:00:00.000Z");
      await move(db, "active", "2026-02-02T00:00:00.000Z");
      const [result] = await realizedSavings(db);
      expect(result).toMatchObject({ automation_status: "active", activated_at: "2026-02-01T00:00:00.000Z" });
      expect(result?.before.runs).toBe(31);
      // Without a script path the script's runs cannot be told: none are counted.
      expect(result?.after.script_runs).toBe(0);
    });
  });
}
