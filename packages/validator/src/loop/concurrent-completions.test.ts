import { type ChildProcess, fork } from "node:child_process";
import { checkIntegrity } from "@patternloop/db";
import { useFreshDatabase } from "@patternloop/db/testing";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { startRun } from "./start-run.js";

// SPEC §6: prediction_accuracy always equals a recount, under concurrent writers on one SQLite file. Each
// writer is a real `node` process running the built library (test-support/complete-runs.mjs).

const WRITER = new URL("../../test-support/complete-runs.mjs", import.meta.url);
const WORKERS = 3;
const RUNS = 60;

const A = "test:pytest:backend";
const B = "git:diff:summary";
const C = "format:prettier:all";
const D = "build:typecheck:frontend";
const COMMANDS: Record<string, string> = {
  [A]: "cd app/server && uv run pytest -q",
  [B]: "git diff --stat",
  [C]: "npx prettier --write .",
  [D]: "cd app/client && npx tsc --noEmit",
};

// Every run predicts A and B, some C and D: all writers move the same pattern rows.
const predicted = (i: number) => [A, B, ...(i % 3 === 0 ? [C] : []), ...(i % 4 === 0 ? [D] : [])];
const actual = (i: number) => [
  A,
  ...(i % 2 === 0 ? [B] : []),
  ...(i % 5 === 0 ? [C] : []),
  ...(i % 6 === 0 ? [D] : []),
];
const runId = (i: number) => `wf-${String(i).padStart(2, "0")}`;
const completion = (i: number) => ({
  workflow_id: runId(i),
  tool_calls: actual(i).map((signature, n) => ({
    tool_name: "Bash",
    tool_input: { command: COMMANDS[signature] as string },
    success: true,
    tool_use_id: `toolu_${i}_${n}`,
  })),
});

/** Validated and correct predictions per pattern, counted from the plan. */
function expectedFigures() {
  const figures: Record<string, { validated_count: number; correct_count: number }> = {};
  for (let i = 0; i < RUNS; i++) {
    for (const signature of predicted(i)) {
      const entry = figures[signature] ?? { validated_count: 0, correct_count: 0 };
      entry.validated_count++;
      if (actual(i).includes(signature)) entry.correct_count++;
      figures[signature] = entry;
    }
  }
  return figures;
}

interface Writer {
  child: ChildProcess;
  /** Resolves with the exit code and everything the process printed once it ends. */
  done: Promise<{ code: number | null; output: string }>;
}

function startWriter(): Writer {
  const child = fork(WRITER, [], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
  return { child, done };
}

/** Waits for the process to report `name`; fails at once, with its output, if it ends first. */
const reported = (writer: Writer, name: string) =>
  Promise.race([
    new Promise<unknown>((resolve) => writer.child.once("message", resolve)),
    writer.done.then(({ code, output }) => {
      throw new Error(`writer ended (code ${code}) before reporting ${name}: ${output}`);
    }),
  ]).then((message) => expect(message).toBe(name));

/**
 * Runs one writer process per share, all on `path`: every process boots and opens the file, then all are
 * told to go at the same moment, so their completions overlap.
 */
async function completeConcurrently(path: string, shares: readonly number[][]): Promise<void> {
  const writers = shares.map(() => startWriter());
  try {
    await Promise.all(writers.map((writer) => reported(writer, "booted")));
    const opened = writers.map((writer) => reported(writer, "opened"));
    writers.forEach((writer, w) => {
      writer.child.send({ path, completions: (shares[w] ?? []).map(completion) });
    });
    await Promise.all(opened);
    for (const writer of writers) writer.child.send("go");
    for (const { code, output } of await Promise.all(writers.map((writer) => writer.done))) {
      expect(output).not.toMatch(/SQLITE_BUSY|locked|error/i);
      expect(code).toBe(0);
    }
  } finally {
    for (const writer of writers) if (writer.child.exitCode === null) writer.child.kill();
  }
}

describe("completions from several processes on one SQLite file", () => {
  const fresh = useFreshDatabase("sqlite");

  async function registerRuns() {
    const { handle } = fresh();
    for (let i = 0; i < RUNS; i++) {
      await startRun(
        handle,
        {
          workflow_id: runId(i),
          nl_input: `Tidy up item ${i}`,
          predictions: predicted(i).map((signature) => ({ signature, confidence: 60, reason: "given" })),
        },
        createPredictor(),
      );
    }
  }

  async function expectExactFigures() {
    const { db } = fresh();
    const stored = await db
      .selectFrom("operation_patterns")
      .select(["pattern_signature", "validated_count", "correct_count", "prediction_accuracy"])
      .orderBy("pattern_signature")
      .execute();
    const recount = await sql<{ pattern_signature: string; validated: number; correct: number }>`
      select op.pattern_signature, count(pp.id) as validated, coalesce(sum(pp.was_correct), 0) as correct
      from operation_patterns op
      left join pattern_predictions pp on pp.pattern_id = op.id and pp.validated_at is not null
      group by op.pattern_signature order by op.pattern_signature`.execute(db);
    expect(stored).toEqual(
      recount.rows.map((row) => ({
        pattern_signature: row.pattern_signature,
        validated_count: Number(row.validated),
        correct_count: Number(row.correct),
        prediction_accuracy: Number(row.validated) === 0 ? null : Number(row.correct) / Number(row.validated),
      })),
    );
    const expected = expectedFigures();
    expect(
      Object.fromEntries(stored.map(({ pattern_signature, ...row }) => [pattern_signature, row])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([signature, figures]) => [
          signature,
          { ...figures, prediction_accuracy: figures.correct_count / figures.validated_count },
        ]),
      ),
    );
    const unvalidated = await db
      .selectFrom("pattern_predictions")
      .select("id")
      .where("validated_at", "is", null)
      .execute();
    expect(unvalidated).toEqual([]);
    const occurrencesOfA = await db
      .selectFrom("operation_patterns")
      .select("occurrence_count")
      .where("pattern_signature", "=", A)
      .executeTakeFirstOrThrow();
    expect(occurrencesOfA.occurrence_count).toBe(RUNS);
    expect((await checkIntegrity(db)).violations).toEqual([]);
  }

  it("keep every pattern's validated and correct counts and accuracy equal to a recount", async () => {
    await registerRuns();
    const shares = Array.from({ length: WORKERS }, (_, w) =>
      Array.from({ length: RUNS }, (_, i) => i).filter((i) => i % WORKERS === w),
    );
    await completeConcurrently(fresh().url, shares);
    await expectExactFigures();
    // The processes really overlapped: their writes interleave instead of forming one block per process.
    const written = await fresh()
      .db.selectFrom("pattern_occurrences")
      .select("workflow_id")
      .orderBy("id")
      .execute();
    const writers = written.map((row) => Number(row.workflow_id.slice(3)) % WORKERS);
    const switches = writers.filter((writer, k) => k > 0 && writer !== writers[k - 1]).length;
    expect(switches).toBeGreaterThan(WORKERS - 1);
  }, 120_000);

  it("count each run once when two processes deliver the same completion at the same time", async () => {
    await registerRuns();
    // Every run is in two shares: its own worker's and the next one's.
    const shares = Array.from({ length: WORKERS }, (_, w) =>
      Array.from({ length: RUNS }, (_, i) => i).filter(
        (i) => i % WORKERS === w || i % WORKERS === (w + 1) % WORKERS,
      ),
    );
    await completeConcurrently(fresh().url, shares);
    await expectExactFigures();
    const calls = await fresh()
      .db.selectFrom("workflow_tool_calls")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const expectedCalls = Array.from({ length: RUNS }, (_, i) => actual(i).length).reduce((a, b) => a + b, 0);
    expect(Number(calls.n)).toBe(expectedCalls);
  }, 120_000);
});
