import { createDatabase, ensurePatterns, type PatternloopDatabase } from "@patternloop/db";
import { freshUrl, PG_URL } from "@patternloop/db/testing";
import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { completeRuns } from "./complete-runs.js";
import { startRun } from "./start-run.js";

// Two PostgreSQL writers completing at once, each run doing the pattern the other run predicted: each
// transaction writes both pattern rows, one for the occurrence and one for the validation. Were the rows
// locked phase by phase, each writer would hold one and wait for the other's: a deadlock, which PostgreSQL
// breaks by failing one validation.

const GIT = "git:status:summary";
const TEST = "test:generic:all";
const COMMANDS: Record<string, string> = { [GIT]: "git status", [TEST]: "npm test" };

/** Holds the runs' prediction rows in a transaction of the test's own, so that the validations wait. */
async function holdPredictions(url: string, workflowIds: readonly string[]) {
  const holder = await createDatabase(url);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let pid = 0;
  let locked = () => {};
  const ready = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const held = holder.db.transaction().execute(async (trx) => {
    pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0;
    await trx
      .selectFrom("pattern_predictions")
      .select("id")
      .where("workflow_id", "in", [...workflowIds])
      .forUpdate()
      .execute();
    locked();
    await released;
  });
  await ready;
  return {
    /** Sessions waiting for the holder, or for a session that waits for it. */
    async waiting(): Promise<number> {
      const { rows } = await sql<{ n: number }>`
        with first as (select pid from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid)))
        select (select count(*) from first)::int
          + (select count(*) from pg_stat_activity a where exists (
              select 1 from first where first.pid = any(pg_blocking_pids(a.pid))))::int as n`.execute(
        holder.db,
      );
      return rows[0]?.n ?? 0;
    },
    async release() {
      release();
      await held;
      await holder.close();
    },
  };
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function patternFigures(db: Kysely<never>) {
  const { rows } = await sql<Record<string, unknown>>`
    select pattern_signature, occurrence_count, validated_count, correct_count, prediction_accuracy
    from operation_patterns order by pattern_signature`.execute(db);
  return rows.map((row) => ({
    ...row,
    occurrence_count: Number(row.occurrence_count),
    validated_count: Number(row.validated_count),
    correct_count: Number(row.correct_count),
  }));
}

describe.skipIf(PG_URL === undefined)("completions on PostgreSQL whose patterns cross", () => {
  it("validate both, neither waiting for the other's pattern while holding one it needs", async () => {
    const url = await freshUrl("postgres");
    const setup = await createDatabase(url, { create: true });
    const writers: PatternloopDatabase[] = [];
    try {
      await ensurePatterns(setup.db, [GIT, TEST]);
      const predictor = createPredictor();
      // Run "a" predicts GIT and does TEST; run "b" predicts TEST and does GIT.
      const plan = { a: { predicts: GIT, does: TEST }, b: { predicts: TEST, does: GIT } };
      for (const [id, { predicts }] of Object.entries(plan))
        await startRun(
          setup,
          { workflow_id: id, predictions: [{ signature: predicts, confidence: 60, reason: "given" }] },
          predictor,
        );
      writers.push(await createDatabase(url), await createDatabase(url));
      const held = await holdPredictions(url, Object.keys(plan));
      const errors: string[] = [];
      let completions: ReturnType<typeof completeRuns>[] = [];
      try {
        completions = Object.entries(plan).map(([id, { does }], i) =>
          completeRuns(
            writers[i] as PatternloopDatabase,
            [
              {
                workflowId: id,
                completion: {
                  status: "completed",
                  tool_calls: [
                    { tool_name: "Bash", tool_input: { command: COMMANDS[does] }, tool_use_id: id },
                  ],
                },
              },
            ],
            { log: () => {}, logError: (line) => errors.push(line) },
          ),
        );
        // Both writers are inside their transactions: waiting for the held predictions, or for each other.
        await waitFor(async () => (await held.waiting()) === 2, "both writers to wait");
      } finally {
        await held.release();
      }
      const outcomes = (await Promise.all(completions)).flat();
      expect(errors).toEqual([]);
      expect(
        outcomes.map((outcome) =>
          outcome.outcome === "completed"
            ? { actual: outcome.result.actual, validation: outcome.result.validation?.false_positives }
            : outcome.outcome,
        ),
      ).toEqual([
        { actual: [TEST], validation: 1 },
        { actual: [GIT], validation: 1 },
      ]);
      expect(await patternFigures(setup.db as unknown as Kysely<never>)).toEqual([
        {
          pattern_signature: GIT,
          occurrence_count: 1,
          validated_count: 1,
          correct_count: 0,
          prediction_accuracy: 0,
        },
        {
          pattern_signature: TEST,
          occurrence_count: 1,
          validated_count: 1,
          correct_count: 0,
          prediction_accuracy: 0,
        },
      ]);
    } finally {
      for (const writer of writers) await writer.close();
      await setup.close();
    }
  }, 60_000);
});
