import { createDetector, type IdentifiedWorkflowRecord, TOOL_CALL_SHARE_FACTOR } from "@patternloop/core";
import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { checkIntegrity } from "../integrity/check-integrity.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import { withSavings } from "../patterns/pattern-savings.js";
import { STATISTIC_COLUMNS } from "../patterns/statistic-columns.js";
import { recordPredictions } from "../predictions/record-predictions.js";
import { insertRuns } from "../runs/insert-runs.js";
import { storedOccurrences } from "../test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { holdWriteLock } from "../testing/storage-faults.js";
import { backfillPatterns } from "./backfill-patterns.js";

const run = (
  id: string,
  day: number,
  commands: string[],
  overrides: Partial<IdentifiedWorkflowRecord> = {},
): IdentifiedWorkflowRecord => ({
  workflow_id: id,
  nl_input: "Fix the date parsing bug",
  status: "completed",
  start_time: `2026-01-${String(day).padStart(2, "0")}T10:00:00.000Z`,
  duration_seconds: 100 + day,
  total_tokens: 10_000,
  actual_cost_total: 0.3,
  retry_count: 0,
  tool_calls: commands.map((command, i) => ({
    tool_name: "Bash",
    tool_input: { command },
    success: true,
    tool_use_id: `${id}-${i}`,
  })),
  ...overrides,
});

const STATS = ["pattern_signature", "automation_status", ...STATISTIC_COLUMNS] as const;

for (const engine of ENGINES) {
  describe(`backfill (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("records patterns, occurrences and statistics from the runs' own times", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [
            run("r1", 3, ["cd app/server && uv run pytest -q", "git diff --stat"]),
            run("r2", 1, ["cd app/server && pytest"]),
            run("r3", 20, ["npm run build"], { status: "failed", error_message: "build failed" }),
            run("r4", 21, ["ls"], { status: "running" }),
          ]),
        );
      const summary = await backfillPatterns(db);
      expect(summary).toMatchObject({
        processed: 3,
        total: 3,
        patterns_detected: 4,
        new_patterns: 3,
        errors: 0,
      });

      const pytest = await db
        .selectFrom("operation_patterns")
        .selectAll()
        .where("pattern_signature", "=", "test:pytest:backend")
        .executeTakeFirstOrThrow();
      expect(pytest.occurrence_count).toBe(2);
      expect(pytest.first_seen).toBe("2026-01-01T10:00:00.000Z");
      expect(pytest.last_seen).toBe("2026-01-03T10:00:00.000Z");
      // Its share of each run's tool calls times the factor: all of r2's one call (10k tokens, $0.30),
      // one of r1's two calls (5k, $0.15).
      const factor = TOOL_CALL_SHARE_FACTOR;
      const cost = (factor * 0.3 + factor * 0.15) / 2;
      expect(pytest.avg_tokens_with_llm).toBe((Math.floor(factor * 10_000) + Math.floor(factor * 5_000)) / 2);
      expect(pytest.avg_cost_with_llm).toBeCloseTo(cost, 12);
      expect(pytest.confidence_score).toBeGreaterThan(0);
      expect(pytest.confidence_score).toBeLessThan(30);
      const [shown] = await withSavings(db, [pytest]);
      expect(shown?.avg_cost_with_tool).toBeCloseTo(cost * 0.05, 12);
      // 2 occurrences in a 19-day history: never extrapolated past 2 a month.
      expect(shown?.potential_monthly_savings).toBeCloseTo(cost * 0.95 * 2, 12);
      const report = await checkIntegrity(db);
      expect(report.violations).toEqual([]);
      expect(report).toMatchObject({ patterns: 3, occurrences: 4 });
    });

    it("is idempotent: a second backfill changes nothing", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [run("a", 1, ["pytest"]), run("b", 2, ["pytest", "npx tsc --noEmit"])]),
        );
      await backfillPatterns(db);
      const before = await db
        .selectFrom("operation_patterns")
        .select(STATS)
        .orderBy("pattern_signature")
        .execute();
      const again = await backfillPatterns(db);
      expect(again).toMatchObject({ processed: 0, total: 0, already_processed: 2, new_patterns: 0 });
      expect(
        await db.selectFrom("operation_patterns").select(STATS).orderBy("pattern_signature").execute(),
      ).toEqual(before);
    });

    it("validates the stored predictions of the completed runs it records, and of no failed run", async () => {
      const { db } = fresh();
      await db.transaction().execute(async (trx) => {
        // Predicted at their start, then finished by whoever writes the history.
        await insertRuns(trx, [run("a", 1, ["pytest"]), run("b", 2, ["git status"], { status: "failed" })]);
        for (const id of ["a", "b"])
          await recordPredictions(trx, id, [
            { signature: "test:pytest:backend", confidence: 80, reason: "r" },
            { signature: "build:typecheck:all", confidence: 40, reason: "r" },
          ]);
      });
      const runs: unknown[] = [];
      const summary = await backfillPatterns(db, { onRun: (line) => runs.push(line) });
      expect(summary.validated_predictions).toBe(2);
      expect(runs).toEqual([
        { workflow_id: "a", status: "completed", signatures: ["test:pytest:backend"], validated: 2 },
        { workflow_id: "b", status: "failed", signatures: ["git:status:summary"], validated: 0 },
      ]);
      expect(
        await db
          .selectFrom("pattern_predictions")
          .select(["workflow_id", "pattern_signature", "was_correct"])
          .where("validated_at", "is not", null)
          .orderBy("pattern_signature")
          .execute(),
      ).toEqual([
        { workflow_id: "a", pattern_signature: "build:typecheck:all", was_correct: 0 },
        { workflow_id: "a", pattern_signature: "test:pytest:backend", was_correct: 1 },
      ]);
      const accuracy = await db
        .selectFrom("operation_patterns")
        .select(["pattern_signature", "prediction_accuracy"])
        .where("prediction_accuracy", "is not", null)
        .orderBy("pattern_signature")
        .execute();
      expect(accuracy).toEqual([
        { pattern_signature: "build:typecheck:all", prediction_accuracy: 0 },
        { pattern_signature: "test:pytest:backend", prediction_accuracy: 1 },
      ]);
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });

    it("stops between batches once its signal aborts, the batches before committed", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [run("a", 1, ["pytest"]), run("b", 2, ["pytest"]), run("c", 3, ["pytest"])]),
        );
      const stop = new AbortController();
      const summary = await backfillPatterns(db, {
        batchSize: 1,
        signal: stop.signal,
        onRun: () => stop.abort(),
      });
      expect(summary.processed).toBe(1);
      expect((await backfillPatterns(db)).processed).toBe(2);
    });

    it("lists what a dry run found in the runs it read, not what is stored", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) => insertRuns(trx, [run("a", 1, ["git status"]), run("b", 2, ["git status"])]));
      await backfillPatterns(db);
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [
            run("c", 3, ["pytest"]),
            run("d", 4, ["pytest", "npx tsc --noEmit", "git status"]),
          ]),
        );
      const summary = await backfillPatterns(db, { dryRun: true });
      expect(summary.found).toEqual([
        { pattern_signature: "test:pytest:backend", runs: 2, new: true },
        { pattern_signature: "build:typecheck:all", runs: 1, new: true },
        { pattern_signature: "git:status:summary", runs: 1, new: false },
      ]);
      expect((await backfillPatterns(db)).found).toEqual([]);
    });

    it("writes nothing in a dry run but reports what it would find", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) => insertRuns(trx, [run("a", 1, ["pytest"]), run("b", 2, ["git status"])]));
      const summary = await backfillPatterns(db, { dryRun: true });
      expect(summary).toMatchObject({
        dry_run: true,
        processed: 2,
        patterns_detected: 2,
        new_patterns: 2,
        new_occurrences: 0,
      });
      expect(await db.selectFrom("operation_patterns").selectAll().execute()).toEqual([]);
      expect(
        await db
          .selectFrom("workflow_history")
          .select("patterns_processed_at")
          .where("patterns_processed_at", "is not", null)
          .execute(),
      ).toEqual([]);
    });

    it("processes the oldest runs first within --limit, and resumes after them", async () => {
      const { db } = fresh();
      await db
        .transaction()
        .execute((trx) =>
          insertRuns(trx, [
            run("late", 9, ["pytest"]),
            run("early", 1, ["pytest"]),
            run("mid", 5, ["pytest"]),
          ]),
        );
      const seen: string[] = [];
      await backfillPatterns(db, { limit: 2, onRun: (r) => seen.push(r.workflow_id) });
      expect(seen).toEqual(["early", "mid"]);
      await backfillPatterns(db, { onRun: (r) => seen.push(r.workflow_id) });
      expect(seen).toEqual(["early", "mid", "late"]);
    });

    it("charges an occurrence the usage of its own tool calls when the run has per-call usage", async () => {
      const { db } = fresh();
      const usage = (input: number, output: number, cost: number) => ({
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: 0,
        cache_creation_tokens: 0,
        cost_usd: cost,
      });
      const record = run("u1", 2, [], {
        total_tokens: 50_000,
        actual_cost_total: 0.5,
        tool_calls: [
          {
            tool_name: "Bash",
            tool_input: { command: "pytest -q" },
            success: true,
            tool_use_id: "t1",
            usage: usage(1_000, 200, 0.01),
          },
          {
            tool_name: "Bash",
            tool_input: { command: "git status" },
            success: true,
            tool_use_id: "t2",
            usage: usage(300, 100, 0.004),
          },
        ],
      });
      await db.transaction().execute((trx) => insertRuns(trx, [record]));
      await backfillPatterns(db);
      const rows = await db
        .selectFrom("pattern_occurrences as po")
        .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
        .select(["op.pattern_signature", "po.tokens_attributed", "po.cost_attributed", "po.attribution"])
        .orderBy("op.pattern_signature")
        .execute();
      expect(rows).toEqual([
        {
          pattern_signature: "git:status:summary",
          tokens_attributed: 400,
          cost_attributed: 0.004,
          attribution: "tool_calls",
        },
        {
          pattern_signature: "test:pytest:backend",
          tokens_attributed: 1_200,
          cost_attributed: 0.01,
          attribution: "tool_calls",
        },
      ]);
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });

    it("the integrity check names a statistic that drifted from a recount", async () => {
      const { db } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, [run("a", 1, ["pytest"])]));
      await backfillPatterns(db);
      await db.updateTable("operation_patterns").set({ occurrence_count: 7 }).execute();
      const report = await checkIntegrity(db);
      expect(report.violations.map((v) => v.code)).toContain("occurrence_count_mismatch");
      expect(report.violations[0]?.message).toContain(
        "test:pytest:backend: occurrence_count is 7, a recount gives 1",
      );
    });

    it("incremental statistics equal a full recompute on random histories, in any batch size", async () => {
      const { db } = fresh();
      const commands = [
        "pytest",
        "cd web && npx vitest run",
        "git status",
        "npm run build",
        "npx tsc --noEmit",
        "ls",
      ];
      let history = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              day: fc.integer({ min: 1, max: 28 }),
              commands: fc.subarray(commands),
              tokens: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
              cost: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null }),
              failed: fc.boolean(),
              duration: fc.option(fc.double({ min: 0, max: 3000, noNaN: true }), { nil: null }),
            }),
            { minLength: 1, maxLength: 25 },
          ),
          fc.integer({ min: 1, max: 7 }),
          async (runs, batchSize) => {
            history++;
            const records = runs.map((r, i) =>
              run(`h${history}-${i}`, r.day, r.commands, {
                total_tokens: r.tokens,
                actual_cost_total: r.cost,
                status: r.failed ? "failed" : "completed",
                duration_seconds: r.duration,
              }),
            );
            await db.transaction().execute((trx) => insertRuns(trx, records));
            await backfillPatterns(db, { batchSize });
            expect((await checkIntegrity(db)).violations).toEqual([]);
          },
        ),
        { numRuns: engine === "sqlite" ? 25 : 10 },
      );
    });

    it("records what it records with every field of the runs loaded (a caller's own detector)", async () => {
      const { db } = fresh();
      const call = fc.oneof(
        fc.record({
          tool_name: fc.constant("Bash"),
          tool_input: fc.record({
            command: fc.constantFrom(
              "pytest -q",
              "cd web && npx vitest run",
              "git diff",
              "ls",
              "npm run docs",
            ),
          }),
        }),
        fc.record({
          tool_name: fc.constantFrom("Edit", "Write", "MultiEdit", "NotebookEdit", "Read"),
          tool_input: fc.record({
            file_path: fc.constantFrom("README.md", "docs/guide.md", "src/app.ts", "CHANGELOG.md"),
            old_string: fc.string({ maxLength: 20 }),
          }),
        }),
      );
      const usage = fc.record({
        input_tokens: fc.nat(5_000),
        output_tokens: fc.nat(500),
        cache_read_tokens: fc.nat(50_000),
        cache_creation_tokens: fc.nat(100),
        cost_usd: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      });
      const calls = fc.array(
        fc.tuple(call, fc.option(fc.boolean(), { nil: null }), fc.option(usage, { nil: undefined })),
        { maxLength: 8 },
      );
      let history = 0;
      const recorded = async () => ({
        occurrences: await storedOccurrences(db),
        patterns: await db
          .selectFrom("operation_patterns")
          .select([...STATS, "characteristics_summary"])
          .orderBy("pattern_signature")
          .execute(),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(calls, { minLength: 1, maxLength: 12 }), async (runs) => {
          history++;
          await db.deleteFrom("operation_patterns").execute();
          await db.deleteFrom("workflow_history").execute();
          const records = runs.map((list, i) =>
            run(`f${history}-${i}`, 1 + (i % 28), [], {
              nl_input: "Update the docs and fix the failing tests",
              tool_calls: list.map(([{ tool_name, tool_input }, success, callUsage], seq) => ({
                tool_name,
                tool_input,
                success,
                tool_use_id: `f${history}-${i}-${seq}`,
                usage: callUsage,
              })),
            }),
          );
          await db.transaction().execute((trx) => insertRuns(trx, records));
          await backfillPatterns(db);
          const lean = await recorded();
          await db.deleteFrom("operation_patterns").execute();
          await db.updateTable("workflow_history").set({ patterns_processed_at: null }).execute();
          await backfillPatterns(db, { detector: createDetector() });
          expect(await recorded()).toEqual(lean);
        }),
        { numRuns: engine === "sqlite" ? 20 : 5 },
      );
    });
  });
}

describe("backfill on a busy database (sqlite)", () => {
  const fresh = useFreshDatabase("sqlite");

  it("stops at the first batch with one `busy` error instead of retrying each run", async () => {
    const { db, url } = fresh();
    await db
      .transaction()
      .execute((trx) =>
        insertRuns(trx, [run("b1", 1, ["npm run build"]), run("b2", 2, ["npm run build"]), run("b3", 3, [])]),
      );
    const lock = await holdWriteLock(url);
    try {
      await sql`pragma busy_timeout = 100`.execute(db);
      const failure = await backfillPatterns(db, { batchSize: 2 }).then(
        (summary) => summary,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PatternloopDbError);
      expect(failure).toMatchObject({ code: "busy" });
    } finally {
      await lock.release();
    }
    // Nothing was half-written: the rerun does the whole queue.
    expect(await backfillPatterns(db)).toMatchObject({ processed: 3, errors: 0, already_processed: 0 });
  }, 30_000);
});
