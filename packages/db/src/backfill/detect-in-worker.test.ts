import { Worker } from "node:worker_threads";
import type { IdentifiedWorkflowRecord, ToolCall } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkIntegrity } from "../integrity/check-integrity.js";
import { STATISTIC_COLUMNS } from "../patterns/statistic-columns.js";
import { insertRuns } from "../runs/insert-runs.js";
import type { Database } from "../schema/database.js";
import { storedOccurrences } from "../test-support/fixtures.js";
import { useFreshDatabase } from "../testing/dialects.js";
import { backfillPatterns } from "./backfill-patterns.js";
import { type DetectInWorkerOptions, detectInWorker } from "./detect-in-worker.js";
import { type DetectedBatch, emptyBatch } from "./detected-batch.js";
import { unprocessedRunIds } from "./run-queue.js";

const COMMANDS = [
  "cd app/server && uv run pytest -q",
  "cd web && npx vitest run",
  "git diff --stat",
  "npm run build",
  "npx tsc --noEmit",
  "npx prettier --write .",
  "ls -la",
  "pnpm install",
];

/** A varied, deterministic history: shared and per-call usage, failures, edits, runs without patterns. */
function history(runs: number): IdentifiedWorkflowRecord[] {
  return Array.from({ length: runs }, (_, i) => {
    const calls: ToolCall[] = COMMANDS.filter((_, c) => (i * 7 + c * 3) % 5 < 2).map((command, c) => ({
      tool_name: "Bash",
      tool_input: { command },
      success: (i + c) % 9 !== 0,
      tool_use_id: `w${i}-${c}`,
      usage:
        i % 4 === 0
          ? {
              input_tokens: 100 + c,
              output_tokens: 20,
              cache_read_tokens: 1000 * c,
              cache_creation_tokens: 0,
              cost_usd: (i % 3) / 7,
            }
          : undefined,
    }));
    if (i % 6 === 0) calls.push({ tool_name: "Edit", tool_input: { file_path: "docs/guide.md" } });
    return {
      workflow_id: `w${i}`,
      nl_input: ["Fix the failing tests in app/server/main.py", "Update the docs", "Refactor the build"][
        i % 3
      ],
      status: i % 11 === 0 ? "failed" : "completed",
      error_message: i % 11 === 0 ? "tests failed" : null,
      // Out of time order, and some at the same second: the queue orders them.
      start_time: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % runs) * 60_000).toISOString(),
      duration_seconds: (i % 13) * 40.5,
      total_tokens: 5_000 + i,
      actual_cost_total: i % 5 === 0 ? null : 0.1 + i / 1000,
      retry_count: i % 3,
      tool_calls: calls,
    };
  });
}

async function recorded(db: Kysely<Database>) {
  return {
    occurrences: await storedOccurrences(db),
    patterns: await db
      .selectFrom("operation_patterns")
      .select([
        "pattern_signature",
        ...STATISTIC_COLUMNS,
        "characteristics_summary",
        "tokens_sum",
        "tokens_sq_sum",
        "cost_sum",
        "duration_sum",
        "duration_sq_sum",
      ])
      .orderBy("id")
      .execute(),
  };
}

describe("backfill with detection in a worker thread (sqlite)", () => {
  const fresh = useFreshDatabase("sqlite");
  let workers = 0;
  const countWorker = () => {
    workers++;
  };
  beforeEach(() => {
    workers = 0;
    process.on("worker", countWorker);
  });
  afterEach(() => {
    process.off("worker", countWorker);
  });

  it("records exactly what detection in this thread records, in the same order", {
    timeout: 30_000,
  }, async () => {
    const { db } = fresh();
    await db.transaction().execute((trx) => insertRuns(trx, history(1_500)));
    const order: string[] = [];
    const progress: number[] = [];
    const summary = await backfillPatterns(db, {
      batchSize: 100,
      onRun: (run) => order.push(run.workflow_id),
      onProgress: ({ processed }) => progress.push(processed),
    });
    expect(workers).toBe(1);
    expect(summary).toMatchObject({ processed: 1_500, total: 1_500, errors: 0 });
    expect(progress).toEqual(Array.from({ length: 15 }, (_, i) => (i + 1) * 100));
    expect((await checkIntegrity(db)).violations).toEqual([]);
    const inWorker = await recorded(db);
    expect(inWorker.occurrences.length).toBe(summary.new_occurrences);

    await db.deleteFrom("pattern_occurrences").execute();
    await db.deleteFrom("operation_patterns").execute();
    await db.updateTable("workflow_history").set({ patterns_processed_at: null }).execute();
    const inThread: string[] = [];
    const again = await backfillPatterns(db, {
      batchSize: 100,
      worker: false,
      onRun: (run) => inThread.push(run.workflow_id),
    });
    expect(workers).toBe(1);
    expect(again).toMatchObject({ ...summary, elapsed_ms: again.elapsed_ms });
    expect(inThread).toEqual(order);
    expect(await recorded(db)).toEqual(inWorker);
  });

  it("has the worker thread detect every batch itself, none left to the calling thread", {
    timeout: 30_000,
  }, async () => {
    const { db, url } = fresh();
    await db.transaction().execute((trx) => insertRuns(trx, history(300)));
    const fallbacks: number[][] = [];
    const fallback: DetectInWorkerOptions["fallback"] = async (ids) => {
      fallbacks.push([...ids]);
      return emptyBatch();
    };
    let detected = 0;
    for await (const batch of detectInWorker(url, await unprocessedRunIds(db), 100, { fallback }))
      detected += batch.ids.length;
    expect(fallbacks).toEqual([]);
    expect(detected).toBe(300);
  });

  it("stays on the calling thread when the file is not in WAL mode", { timeout: 30_000 }, async () => {
    const { db } = fresh();
    await db.transaction().execute((trx) => insertRuns(trx, history(1_200)));
    // A rollback journal lets no one read while the writer commits: a reading worker would hold it back.
    await sql`pragma journal_mode = delete`.execute(db);
    const summary = await backfillPatterns(db, { batchSize: 300 });
    expect(workers).toBe(0);
    expect(summary).toMatchObject({ processed: 1_200, errors: 0 });
  });

  it("resumes after a limit and skips what is recorded", { timeout: 30_000 }, async () => {
    const { db } = fresh();
    await db.transaction().execute((trx) => insertRuns(trx, history(2_000)));
    const first = await backfillPatterns(db, { limit: 1_000, batchSize: 250 });
    const rest = await backfillPatterns(db, { batchSize: 250 });
    expect(workers).toBe(2);
    expect(first).toMatchObject({ processed: 1_000, errors: 0 });
    expect(rest).toMatchObject({ processed: 1_000, already_processed: 1_000, errors: 0 });
    const resumed = await recorded(db);

    await db.deleteFrom("pattern_occurrences").execute();
    await db.deleteFrom("operation_patterns").execute();
    await db.updateTable("workflow_history").set({ patterns_processed_at: null }).execute();
    await backfillPatterns(db, { batchSize: 250, worker: false });
    expect(await recorded(db)).toEqual(resumed);
  });
});

describe("detectInWorker", () => {
  /** A batch that says which ids it was made of, by which thread. */
  const made = (by: string, ids: readonly number[]): DetectedBatch => ({
    ...emptyBatch(),
    ids: [...ids],
    workflowIds: ids.map((id) => `${by} ${id}`),
    observations: ids.map(() => null),
    starts: ids.map(() => 0).concat(0),
  });
  const fallback: DetectInWorkerOptions["fallback"] = async (ids) => made("fallback", ids);
  const collect = async (start: DetectInWorkerOptions["start"]) => {
    const batches: string[][] = [];
    for await (const batch of detectInWorker("unused", Float64Array.of(1, 2, 3, 4, 5, 6, 7), 3, {
      fallback,
      start,
    }))
      batches.push(batch.workflowIds);
    return batches;
  };
  const worker = (source: string) => () => new Worker(source, { eval: true });

  it("detects every batch in the calling thread when the worker cannot start", async () => {
    expect(await collect(worker("throw new Error('no worker here')"))).toEqual([
      ["fallback 1", "fallback 2", "fallback 3"],
      ["fallback 4", "fallback 5", "fallback 6"],
      ["fallback 7"],
    ]);
    expect(
      await collect(() => {
        throw new Error("worker threads are not available");
      }),
    ).toHaveLength(3);
  });

  it("takes over from a worker that fails on a batch or stops, in queue order", async () => {
    // Answers the first batch, fails on the second, then exits while the third waits.
    const flaky = worker(`
      const { parentPort } = require("node:worker_threads");
      let n = 0;
      parentPort.on("message", (ids) => {
        n++;
        if (n === 1) parentPort.postMessage({ batch: { workflowIds: ids.map((id) => "worker " + id) } });
        else if (n === 2) parentPort.postMessage({ failure: new Error("could not read") });
        else process.exit(3);
      });`);
    expect(await collect(flaky)).toEqual([
      ["worker 1", "worker 2", "worker 3"],
      ["fallback 4", "fallback 5", "fallback 6"],
      ["fallback 7"],
    ]);
  });
});
