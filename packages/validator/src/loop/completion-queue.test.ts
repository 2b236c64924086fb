import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { createCompletionQueue } from "./completion-queue.js";
import type { CompletionOutcome, RunCompletion } from "./completion-types.js";
import { startRun } from "./start-run.js";

const quiet = { log: () => {} };
const done = (i: number): RunCompletion => ({
  status: "completed",
  tool_calls: [{ tool_name: "Bash", tool_input: { command: i % 2 === 0 ? "npm test" : "git status" } }],
});

/** What an outcome gave: the run's recorded flag, or what else became of the completion. */
function settledAs(outcome: CompletionOutcome) {
  return outcome.outcome === "completed"
    ? { recorded: outcome.result.recorded }
    : { outcome: outcome.outcome };
}

for (const engine of ENGINES) {
  describe(`completion queue (${engine})`, { timeout: 60_000 }, () => {
    const fresh = useFreshDatabase(engine);

    it("writes completions that arrive together in batches, answering each caller as if alone", async () => {
      const { handle, db } = fresh();
      const predictor = createPredictor();
      for (let i = 0; i < 30; i++)
        await startRun(handle, { workflow_id: `wf-${i}`, predictions: [] }, predictor);
      const batches: number[] = [];
      const queue = createCompletionQueue(handle, { ...quiet, onBatch: (size) => batches.push(size) });
      const ids = [...Array.from({ length: 30 }, (_, i) => `wf-${i}`), "wf-7", "nope"];
      const outcomes = await Promise.all(ids.map((id, i) => queue.complete(id, done(i))));

      expect(outcomes.map(settledAs)).toEqual([
        ...Array.from({ length: 30 }, () => ({ recorded: true })),
        { recorded: false },
        { outcome: "unknown_run" },
      ]);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(ids.length);
      expect(Math.max(...batches)).toBeGreaterThan(1);
      const occurrences = await db
        .selectFrom("pattern_occurrences")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(occurrences.n)).toBe(30);
    });

    it("never writes more than maxBatch completions in one batch", async () => {
      const { handle } = fresh();
      const predictor = createPredictor();
      for (let i = 0; i < 10; i++) await startRun(handle, { workflow_id: `wf-${i}` }, predictor);
      const batches: number[] = [];
      const queue = createCompletionQueue(handle, {
        ...quiet,
        maxBatch: 4,
        onBatch: (size) => batches.push(size),
      });
      await Promise.all(Array.from({ length: 10 }, (_, i) => queue.complete(`wf-${i}`, done(i))));
      expect(batches).toEqual([4, 4, 2]);
    });

    it("answers failed to every caller of a batch the database cannot take, then takes the next batch", async () => {
      const { handle } = fresh();
      await startRun(handle, { workflow_id: "wf" }, createPredictor());
      const queue = createCompletionQueue(handle, quiet);
      await handle.db.schema.alterTable("workflow_history").renameTo("renamed_history").execute();
      const failed = await Promise.all([queue.complete("wf", done(0)), queue.complete("wf", done(0))]);
      expect(failed.map(settledAs)).toEqual([{ outcome: "failed" }, { outcome: "failed" }]);
      await handle.db.schema.alterTable("renamed_history").renameTo("workflow_history").execute();
      expect(settledAs(await queue.complete("wf", done(0)))).toEqual({ recorded: true });
    });
  });
}

describe("completion queue options", () => {
  it.each([0, -1, 1.5, Number.NaN])("refuses maxBatch %s", (maxBatch) => {
    expect(() => createCompletionQueue({} as never, { maxBatch })).toThrow(/maxBatch must be a whole number/);
  });
});
