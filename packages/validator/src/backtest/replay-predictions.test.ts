import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import {
  backfillPatterns,
  checkIntegrity,
  createDatabase,
  insertRuns,
  recordPredictions,
  validateStoredPredictions,
  validationSummary,
} from "@patternloop/db";
import { ENGINES, freshUrl, holdWriteLock, useFreshDatabase } from "@patternloop/db/testing";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor, type Predictor } from "../predictor/learned-predictor.js";
import { replayPredictions } from "./replay-predictions.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

const PYTEST = "test:pytest:backend";
const PUSH = "git:push:summary";

/** A completed run from `start` to `end` (minutes) that ran `command`. */
const run = (
  id: string,
  start: number,
  end: number,
  nl_input: string,
  command: string,
  status: "completed" | "failed" = "completed",
): IdentifiedWorkflowRecord => ({
  workflow_id: id,
  nl_input,
  status,
  start_time: at(start),
  end_time: at(end),
  duration_seconds: (end - start) * 60,
  total_tokens: 1_000,
  actual_cost_total: 0.1,
  retry_count: 0,
  tool_calls: [{ tool_name: "Bash", tool_input: { command }, success: true, tool_use_id: `${id}-0` }],
});

/**
 * Six long runs that ran the backend tests start early and end late; `middle` starts while they are all still
 * running, `after` once they have ended. Short runs that push keep the predictor learning meanwhile.
 */
function overlappingHistory(): IdentifiedWorkflowRecord[] {
  return [
    ...Array.from({ length: 6 }, (_, i) => run(`long${i}`, i, 1_000, "tidy the widgets", "pytest backend/")),
    ...Array.from({ length: 6 }, (_, i) =>
      run(`push${i}`, 10 + i * 10, 15 + i * 10, "ship the release", "git push"),
    ),
    run("middle", 500, 510, "tidy the widgets", "pytest backend/"),
    run("after", 1_100, 1_110, "tidy the widgets", "pytest backend/"),
  ];
}

for (const engine of ENGINES) {
  describe(`replayed predictions (${engine})`, { timeout: 60_000 }, () => {
    const fresh = useFreshDatabase(engine);
    const load = async (handle: ReturnType<typeof fresh>["handle"], runs: IdentifiedWorkflowRecord[]) => {
      await insertRuns(handle.db, runs);
      await backfillPatterns(handle.db);
    };
    const predicted = (db: ReturnType<typeof fresh>["db"]) =>
      db
        .selectFrom("pattern_predictions")
        .select(["workflow_id", "pattern_signature", "was_correct", "replayed"])
        .orderBy("workflow_id")
        .orderBy("pattern_signature")
        .execute();

    it("predicts each run only from runs that ended before it started", async () => {
      const { handle, db } = fresh();
      await load(handle, overlappingHistory());
      await replayPredictions(handle);
      const rows = (await predicted(db)).filter((row) => row.pattern_signature === PYTEST);
      // The six runs with the tests had not ended when `middle` started: nothing had shown them yet.
      expect(rows.filter((row) => row.workflow_id === "middle")).toEqual([]);
      // Once they had ended, the same request is predicted to run them, and it did.
      expect(rows.filter((row) => row.workflow_id === "after")).toEqual([
        { workflow_id: "after", pattern_signature: PYTEST, was_correct: 1, replayed: 1 },
      ]);
    });

    it("stores predictions validated and marked replayed, keeps live ones apart, and twice is once", async () => {
      const { handle, db } = fresh();
      await load(handle, [
        ...Array.from({ length: 8 }, (_, i) =>
          run(`p${i}`, i * 10, i * 10 + 5, "ship the release", "git push"),
        ),
        run("wrong", 200, 205, "ship the release", "git status"),
      ]);
      // One run was predicted live: the replay leaves it as it is.
      await db.transaction().execute(async (trx) => {
        await recordPredictions(trx, "p7", [{ signature: PUSH, confidence: 90, reason: "live" }]);
        await validateStoredPredictions(trx, "p7", [PUSH]);
      });
      const first = await replayPredictions(handle, {
        candidateThresholds: {
          minOccurrences: 5,
          minConfidence: 0,
          minMonthlySavings: 0,
          minPredictionAccuracy: 0.5,
          minValidatedPredictions: 2,
        },
      });
      expect(first).toMatchObject({ runs: 9, replayed_runs: 3, already_predicted: 1, predictions: 3 });
      expect(first.promoted.map((change) => change.pattern_signature)).toEqual([PUSH]);
      const rows = await predicted(db);
      expect(rows).toEqual([
        { workflow_id: "p5", pattern_signature: PUSH, was_correct: 1, replayed: 1 },
        { workflow_id: "p6", pattern_signature: PUSH, was_correct: 1, replayed: 1 },
        { workflow_id: "p7", pattern_signature: PUSH, was_correct: 1, replayed: 0 },
        { workflow_id: "wrong", pattern_signature: PUSH, was_correct: 0, replayed: 1 },
      ]);
      const summary = await validationSummary(db);
      expect(summary.live).toEqual({ predictions: 1, validations: 1, accuracy: 1 });
      expect(summary.replayed).toEqual({ predictions: 3, validations: 3, accuracy: 2 / 3 });
      const accuracy = () =>
        db
          .selectFrom("operation_patterns")
          .select(["pattern_signature", "prediction_accuracy", "validated_count"])
          .where("validated_count", ">", 0)
          .execute();
      expect(await accuracy()).toEqual([
        { pattern_signature: PUSH, prediction_accuracy: 0.75, validated_count: 4 },
      ]);

      const second = await replayPredictions(handle);
      expect(second).toMatchObject({ replayed_runs: 0, already_predicted: 4, predictions: 0, promoted: [] });
      expect(await predicted(db)).toEqual(rows);
      expect(await accuracy()).toEqual([
        { pattern_signature: PUSH, prediction_accuracy: 0.75, validated_count: 4 },
      ]);
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });

    it("interrupted midway, a rerun ends where an uninterrupted replay does", async () => {
      const history = Array.from({ length: 30 }, (_, i) =>
        run(
          `r${String(i).padStart(2, "0")}`,
          i * 10,
          i * 10 + 5,
          "ship the release",
          i % 4 === 0 ? "git status" : "git push",
        ),
      );
      const whole = await createDatabase(await freshUrl(engine), { create: true });
      let uninterrupted: Awaited<ReturnType<typeof predicted>>;
      try {
        await load(whole, history);
        await replayPredictions(whole, { batchSize: 2 });
        uninterrupted = await predicted(whole.db);
      } finally {
        await whole.close();
      }

      const { handle, db } = fresh();
      await load(handle, history);
      // A predictor that dies after its tenth prediction stands in for a kill between two batches.
      const dying = (): Predictor => {
        const inner = createPredictor();
        let predictions = 0;
        return {
          get runsLearned() {
            return inner.runsLearned;
          },
          learn: (request, actual) => inner.learn(request, actual),
          predict(request) {
            if (++predictions > 10) throw new Error("killed");
            return inner.predict(request);
          },
        };
      };
      await expect(replayPredictions(handle, { batchSize: 2, predictor: dying })).rejects.toThrow("killed");
      const partial = await predicted(db);
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(uninterrupted.length);
      await replayPredictions(handle, { batchSize: 2 });
      expect(await predicted(db)).toEqual(uninterrupted);
      expect((await checkIntegrity(db)).violations).toEqual([]);
    });
  });
}

describe("replayed predictions while another process holds the write lock (sqlite)", {
  timeout: 60_000,
}, () => {
  it("fails with the busy error, stores nothing, and a later replay stores everything", async () => {
    const url = await freshUrl("sqlite");
    const handle = await createDatabase(url, { create: true });
    try {
      await insertRuns(
        handle.db,
        Array.from({ length: 20 }, (_, i) =>
          run(`r${i}`, i * 10, i * 10 + 5, "ship the release", "git push"),
        ),
      );
      await backfillPatterns(handle.db);
      await sql`pragma busy_timeout = 200`.execute(handle.db);
      const lock = await holdWriteLock(url);
      try {
        // Batches are stored while the next is predicted: the first one's failure must still end the replay.
        await expect(replayPredictions(handle, { batchSize: 2 })).rejects.toThrow(/database is busy/);
      } finally {
        await lock.release();
      }
      const stored = () => handle.db.selectFrom("pattern_predictions").select("workflow_id").execute();
      expect(await stored()).toEqual([]);
      const replay = await replayPredictions(handle, { batchSize: 2 });
      expect(replay.predictions).toBeGreaterThan(0);
      expect(await stored()).toHaveLength(replay.predictions);
    } finally {
      await handle.close();
    }
  });
});

for (const engine of ENGINES) {
  describe(`a replay that grows the predictions table (${engine})`, { timeout: 120_000 }, () => {
    const fresh = useFreshDatabase(engine);

    it("has its statistics counted as it goes (PostgreSQL; never on SQLite)", async () => {
      const { handle, db } = fresh();
      // Five patterns a run, about five predictions a run once learned: past the first refresh at 5,000.
      const commands = ["pytest backend/", "git push", "git status", "ruff check .", "npm test"];
      await insertRuns(
        handle.db,
        Array.from({ length: 1_200 }, (_, i) => ({
          ...run(`r${i}`, i * 10, i * 10 + 5, "ship the release", commands[0] ?? ""),
          tool_calls: commands.map((command, at) => ({
            tool_name: "Bash",
            tool_input: { command },
            success: true,
            tool_use_id: `r${i}-${at}`,
          })),
        })),
      );
      await backfillPatterns(handle.db);
      const replay = await replayPredictions(handle);
      expect(replay.predictions).toBeGreaterThan(5_000);
      if (engine === "sqlite") {
        const { rows } = await sql`select name from sqlite_master where name = 'sqlite_stat1'`.execute(db);
        expect(rows).toEqual([]);
        return;
      }
      // Written only by ANALYZE; autovacuum looks once a minute, long after this replay has ended.
      const { rows } = await sql`
        select attname from pg_stats
        where schemaname = current_schema() and tablename = 'pattern_predictions' and attname = 'workflow_id'`.execute(
        db,
      );
      expect(rows).toHaveLength(1);
    });
  });
}
