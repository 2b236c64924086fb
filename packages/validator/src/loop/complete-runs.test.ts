import { createDatabase, type PatternloopDatabase } from "@patternloop/db";
import { ENGINES, freshUrl, holdWriteLock, PG_URL, useFreshDatabase } from "@patternloop/db/testing";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { completeRuns } from "./complete-runs.js";
import type { CompletionOutcome, CompletionRequest, RunCompletion } from "./completion-types.js";
import { startRun } from "./start-run.js";

const COMMAND_SETS = [
  ["npm test", "git status"],
  ["cd app/server && uv run pytest -q", "git diff --stat"],
  ["npx prettier --write .", "npm test", "git add -A"],
  ["cargo build", "cargo test"],
  [],
];
const PREDICTIONS = [
  { signature: "test:generic:all", confidence: 80, reason: "given" },
  { signature: "git:diff:summary", confidence: 60, reason: "given" },
];
// One start time for every run: the history's span, and so each pattern's monthly savings, is then the same
// whether the runs end one by one or together.
const START = "2026-11-01T10:00:00.000Z";

function completion(i: number, status: RunCompletion["status"] = "completed"): RunCompletion {
  const commands = COMMAND_SETS[i % COMMAND_SETS.length] ?? [];
  return {
    status,
    end_time: `2026-11-01T10:${String(i % 60).padStart(2, "0")}:00.000Z`,
    input_tokens: 1_000 + i,
    output_tokens: 100 + i,
    actual_cost_total: 0.01 * (i + 1),
    model_used: "claude-sonnet-4-5",
    tool_calls: [
      { tool_name: "Read", tool_input: { file_path: "src/a.ts" }, tool_use_id: `r${i}` },
      ...commands.map((command, j) => ({
        tool_name: "Bash",
        tool_input: { command },
        success: (i + j) % 5 !== 0,
        duration_ms: 100 * (j + 1),
        tool_use_id: `b${i}_${j}`,
      })),
    ],
  };
}

/**
 * Runs 0–15 registered; 3 is listed twice; 5 ended as failed beforehand and is now reported completed;
 * "nope" was never registered; every fourth run fails.
 */
async function prepare(database: PatternloopDatabase): Promise<CompletionRequest[]> {
  const predictor = createPredictor();
  for (let i = 0; i < 16; i++)
    await startRun(
      database,
      { workflow_id: `wf-${i}`, start_time: START, predictions: i % 3 === 0 ? [] : PREDICTIONS },
      predictor,
    );
  await completeRuns(database, [{ workflowId: "wf-5", completion: completion(5, "failed") }], {
    log: () => {},
  });
  const requests: CompletionRequest[] = [];
  for (let i = 0; i < 16; i++)
    requests.push({ workflowId: `wf-${i}`, completion: completion(i, i % 4 === 1 ? "failed" : "completed") });
  requests.splice(6, 0, { workflowId: "nope", completion: completion(0) });
  requests.push({ workflowId: "wf-3", completion: completion(3) });
  const five = requests.find((request) => request.workflowId === "wf-5");
  if (five !== undefined) five.completion = completion(5, "completed");
  return requests;
}

/** Every table the loop writes, without ids and wall-clock columns, patterns referred to by signature. */
async function dump(database: PatternloopDatabase) {
  const { db } = database;
  const signatureOf = new Map(
    (await db.selectFrom("operation_patterns").select(["id", "pattern_signature"]).execute()).map((row) => [
      row.id,
      row.pattern_signature,
    ]),
  );
  const clean = (rows: Record<string, unknown>[]) =>
    rows
      .map((row) => {
        const kept: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row))
          if (key === "pattern_id") kept.pattern = signatureOf.get(value as number);
          else if (key !== "id" && !key.endsWith("_at")) kept[key] = value;
        return kept;
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    runs: clean(await db.selectFrom("workflow_history").selectAll().execute()),
    toolCalls: clean(await db.selectFrom("workflow_tool_calls").selectAll().execute()),
    patterns: clean(await db.selectFrom("operation_patterns").selectAll().execute()),
    occurrences: clean(await db.selectFrom("pattern_occurrences").selectAll().execute()),
    predictions: clean(await db.selectFrom("pattern_predictions").selectAll().execute()),
  };
}

/** An outcome as comparable data: the result, the refusal, or the error's code. */
function settled(outcome: CompletionOutcome | undefined) {
  if (outcome === undefined) return "missing";
  if (outcome.outcome === "completed") return outcome.result;
  if (outcome.outcome === "failed") return { error: (outcome.error as { code?: string }).code };
  return { refused: outcome.outcome, message: outcome.message };
}

/** The error of a failed outcome. */
function errorOf(outcome: CompletionOutcome | undefined): Error | undefined {
  return outcome?.outcome === "failed" ? outcome.error : undefined;
}

for (const engine of ENGINES) {
  // Two databases and dozens of transactions a test: seconds on PostgreSQL while the whole suite runs.
  describe(`completeRuns (${engine})`, { timeout: 60_000 }, () => {
    const fresh = useFreshDatabase(engine);

    it("gives each completion of a batch what completing them one after the other gives, and stores the same", async () => {
      const together = fresh().handle;
      const alone = await createDatabase(await freshUrl(engine), { create: true });
      try {
        const requests = await prepare(together);
        await prepare(alone);
        const batchLog: string[] = [];
        const batched = await completeRuns(together, requests, { log: (line) => batchLog.push(line) });
        const oneByOneLog: string[] = [];
        const oneByOne: CompletionOutcome[] = [];
        for (const request of requests)
          oneByOne.push(...(await completeRuns(alone, [request], { log: (line) => oneByOneLog.push(line) })));

        expect(batched.map(settled)).toEqual(oneByOne.map(settled));
        expect(batched.map(settled).slice(5, 8)).toMatchObject([
          { refused: "already_finished", message: 'run "wf-5" already ended as failed' },
          { refused: "unknown_run", message: 'no run "nope": register it with a run start first' },
          { workflow_id: "wf-6", recorded: true },
        ]);
        expect(settled(batched.at(-1))).toMatchObject({ workflow_id: "wf-3", recorded: false });
        expect(await dump(together)).toEqual(await dump(alone));
        const validated = (lines: string[]) => lines.filter((line) => line.includes("workflow"));
        expect(validated(batchLog)).toEqual(validated(oneByOneLog));
        expect(validated(batchLog).length).toBeGreaterThan(5);
      } finally {
        await alone.close();
      }
    });

    it("fails only the completion a database error is about, recording the rest of its batch", async () => {
      const { handle, db } = fresh();
      const predictor = createPredictor();
      for (const id of ["a", "b", "c"])
        await startRun(handle, { workflow_id: id, predictions: PREDICTIONS }, predictor);
      await refuse(engine, db, "insert", "workflow_tool_calls", "tool_name", "Boom");
      const boom = { ...completion(1), tool_calls: [{ tool_name: "Boom", tool_input: {} }] };
      const outcomes = await completeRuns(
        handle,
        [
          { workflowId: "a", completion: completion(1) },
          { workflowId: "b", completion: boom },
          { workflowId: "c", completion: completion(2) },
        ],
        { log: () => {} },
      );
      expect(outcomes.map((outcome) => errorOf(outcome)?.message ?? outcome.outcome)).toEqual([
        "completed",
        expect.stringContaining("refused Boom"),
        "completed",
      ]);
      const statuses = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "status"])
        .orderBy("workflow_id")
        .execute();
      expect(statuses.map((row) => row.status)).toEqual(["completed", "running", "completed"]);
      expect(
        await db
          .selectFrom("workflow_tool_calls")
          .select("workflow_id")
          .where("workflow_id", "=", "b")
          .execute(),
      ).toEqual([]);
    });

    it("answers validation_error only for the run whose validation fails, validating the others", async () => {
      const { handle, db } = fresh();
      const predictor = createPredictor();
      for (const id of ["a", "b", "c"])
        await startRun(handle, { workflow_id: id, predictions: PREDICTIONS }, predictor);
      await refuse(engine, db, "update", "pattern_predictions", "workflow_id", "b");
      const errors: string[] = [];
      const outcomes = await completeRuns(
        handle,
        ["a", "b", "c"].map((id, i) => ({ workflowId: id, completion: completion(i) })),
        { log: () => {}, logError: (line) => errors.push(line) },
      );
      expect(outcomes.map(settled)).toMatchObject([
        { recorded: true, validation: { predicted: 2 } },
        { recorded: true, validation: null, validation_skipped: "validation_error" },
        { recorded: true, validation: { predicted: 2 } },
      ]);
      expect(errors).toEqual([expect.stringMatching(/workflow b: validation failed: .*refused b/)]);
      const unvalidated = await db
        .selectFrom("pattern_predictions")
        .select("workflow_id")
        .where("validated_at", "is", null)
        .execute();
      expect(unvalidated.map((row) => row.workflow_id)).toEqual(["b", "b"]);
      const counted = await db
        .selectFrom("operation_patterns")
        .select((eb) => eb.fn.sum<number>("validated_count").as("validated"))
        .executeTakeFirstOrThrow();
      expect(Number(counted.validated)).toBe(4);
    });
  });
}

// PostgreSQL writes a batch's pattern statistics, accuracies and run ends from arrays, one statement each,
// where SQLite writes a row per statement: both must store the same rows.
describe.skipIf(PG_URL === undefined)(
  "completeRuns on SQLite and on PostgreSQL",
  { timeout: 120_000 },
  () => {
    it("stores the same rows for the same completions, in a batch and one by one", async () => {
      const opened: PatternloopDatabase[] = [];
      try {
        const dumps = [];
        for (const engine of ["sqlite", "postgres"] as const) {
          const batched = await createDatabase(await freshUrl(engine), { create: true });
          const oneByOne = await createDatabase(await freshUrl(engine), { create: true });
          opened.push(batched, oneByOne);
          // With durations, so that every running sum of the patterns moves.
          const requests = (await prepare(batched)).map((request, i) => ({
            ...request,
            completion: { ...request.completion, duration_seconds: 30 + 7.3 * i },
          }));
          await prepare(oneByOne);
          // Two batches, the second repeating some of the first, then each alone.
          await completeRuns(batched, requests.slice(0, 10), { log: () => {} });
          await completeRuns(batched, requests.slice(4), { log: () => {} });
          for (const request of requests) await completeRuns(oneByOne, [request], { log: () => {} });
          dumps.push(await dump(batched), await dump(oneByOne));
        }
        const [sqliteBatched, sqliteOneByOne, postgresBatched, postgresOneByOne] = dumps;
        expect(sqliteBatched).toEqual(sqliteOneByOne);
        expect(postgresBatched).toEqual(sqliteBatched);
        expect(postgresOneByOne).toEqual(sqliteBatched);
        expect(sqliteBatched?.patterns.length).toBeGreaterThan(5);
      } finally {
        for (const database of opened) await database.close();
      }
    });
  },
);

describe("completeRuns on a database another process holds the write lock of", () => {
  it("gives every completion of the batch the one busy failure, waiting for the lock once", async () => {
    // Opened by the package the validator imports, so that its errors are the classes it recognises.
    const url = await freshUrl("sqlite");
    const handle = await createDatabase(url, { create: true });
    try {
      const predictor = createPredictor();
      for (const id of ["a", "b", "c", "d"])
        await startRun(handle, { workflow_id: id, predictions: PREDICTIONS }, predictor);
      // "b" twice: its second completion is a round of its own, which must not wait for the lock again.
      const requests = ["a", "b", "c", "d", "b"].map((id, i) => ({
        workflowId: id,
        completion: completion(i),
      }));
      await sql`pragma busy_timeout = 200`.execute(handle.db);
      const lock = await holdWriteLock(url);
      let outcomes: CompletionOutcome[];
      try {
        outcomes = await completeRuns(handle, requests, { log: () => {} });
      } finally {
        await lock.release();
      }
      expect(outcomes.map(settled)).toEqual(requests.map(() => ({ error: "busy" })));
      // Each wait for the lock that runs out makes an error of its own: one error shared by all, one wait.
      const errors = new Set(outcomes.map(errorOf));
      expect(errors.size).toBe(1);
      expect([...errors][0]?.message).toMatch(/^database is busy: another process holds its write lock/);

      // Nothing was half-written: the same batch, once the lock is free, records every end.
      const again = await completeRuns(handle, requests, { log: () => {} });
      expect(again.map(settled)).toMatchObject([
        { workflow_id: "a", recorded: true },
        { workflow_id: "b", recorded: true },
        { workflow_id: "c", recorded: true },
        { workflow_id: "d", recorded: true },
        { workflow_id: "b", recorded: false },
      ]);
    } finally {
      await handle.close();
    }
  });
});

/** Makes inserts or updates of `table` rows whose `column` is `value` fail, on either engine. */
async function refuse(
  engine: string,
  db: PatternloopDatabase["db"],
  event: "insert" | "update",
  table: string,
  column: string,
  value: string,
): Promise<void> {
  const message = `refused ${value}`;
  if (engine === "sqlite") {
    await sql
      .raw(
        `create trigger refuse before ${event} on ${table} when new.${column} = '${value}' begin select raise(abort, '${message}'); end`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `create function refuse() returns trigger language plpgsql as $$ begin if new.${column} = '${value}' then raise exception '${message}'; end if; return new; end $$`,
    )
    .execute(db);
  await sql
    .raw(`create trigger refuse before ${event} on ${table} for each row execute function refuse()`)
    .execute(db);
}
