import { createDatabase } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createPredictor } from "../predictor/learned-predictor.js";
import { followHistory } from "./follow-history.js";
import { startRun } from "./start-run.js";

/** Polls `check` until it holds, for at most `ms` (no assertion on how long it took). */
async function eventually(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const engine of ENGINES) {
  describe(`following a history (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("records the runs another writer finishes, validates their predictions, and stops on its signal", async () => {
      const { handle, url } = fresh();
      await startRun(
        handle,
        {
          workflow_id: "run-1",
          nl_input: "Run the backend tests with pytest",
          start_time: "2026-11-01T10:00:00.000Z",
          predictions: [
            { signature: "test:pytest:backend", confidence: 80, reason: "given" },
            { signature: "format:prettier:all", confidence: 30, reason: "given" },
          ],
        },
        createPredictor(),
      );
      const stop = new AbortController();
      const seen: { workflow_id: string; validated: number }[] = [];
      const following = followHistory(handle, {
        signal: stop.signal,
        intervalMs: 1_000,
        onRun: ({ workflow_id, validated }) => seen.push({ workflow_id, validated }),
      });

      // Another connection, as another process would: the status moves to completed by a plain UPDATE.
      const other = await createDatabase(url);
      try {
        await sql`update workflow_history set status = 'completed', end_time = '2026-11-01T10:05:00.000Z' where workflow_id = 'run-1'`.execute(
          other.db,
        );
        await sql`insert into workflow_history (workflow_id, adw_id, nl_input, status, start_time) values ('run-2', 'run-2', 'Format the code with prettier', 'failed', '2026-11-01T11:00:00.000Z')`.execute(
          other.db,
        );
      } finally {
        await other.close();
      }
      await eventually(() => seen.length === 2);
      stop.abort();
      const summary = await following;

      // A run without a workflow time (the raw insert gave none) comes first: order is not the point here.
      expect(seen.sort((a, b) => a.workflow_id.localeCompare(b.workflow_id))).toEqual([
        { workflow_id: "run-1", validated: 2 },
        { workflow_id: "run-2", validated: 0 },
      ]);
      expect(summary).toMatchObject({
        processed: 2,
        completed: 1,
        failed: 1,
        validated_predictions: 2,
        errors: 0,
      });
      const accuracy = await handle.db
        .selectFrom("operation_patterns")
        .select(["pattern_signature", "prediction_accuracy", "occurrence_count"])
        .where("pattern_signature", "in", ["test:pytest:backend", "format:prettier:all"])
        .orderBy("pattern_signature")
        .execute();
      expect(accuracy).toEqual([
        { pattern_signature: "format:prettier:all", prediction_accuracy: 0, occurrence_count: 1 },
        { pattern_signature: "test:pytest:backend", prediction_accuracy: 1, occurrence_count: 1 },
      ]);
    });

    it("returns at once when stopped while it waits for the next look", async () => {
      const { handle } = fresh();
      const stop = new AbortController();
      const following = followHistory(handle, { signal: stop.signal, intervalMs: 3_600_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop.abort();
      expect(await following).toMatchObject({ looks: 1, processed: 0 });
    });
  });
}
