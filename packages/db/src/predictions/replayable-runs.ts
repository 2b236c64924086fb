import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** A finished run as a replay of the history needs it: when it ran, what it asked, what it actually did. */
export interface ReplayableRun {
  workflow_id: string;
  status: "completed" | "failed";
  nl_input: string | null;
  workflow_template: string | null;
  start_time: string;
  end_time: string;
  /** The signatures of the patterns recorded for it. */
  actual: string[];
  /** Whether predictions are stored for it already (live, or by an earlier replay). */
  has_predictions: boolean;
}

/** Runs read per page: three queries a page, memory per page flat however long the history is. */
const PAGE = 1000;

/**
 * Every finished run whose patterns are recorded and that has a start and an end time, in id order, a page
 * at a time, with its recorded patterns and whether it has predictions. Runs without both times cannot be
 * placed in time and are left out.
 */
export async function* replayableRuns(db: Kysely<Database>): AsyncGenerator<ReplayableRun[]> {
  let lastId = 0;
  for (;;) {
    const runs = await db
      .selectFrom("workflow_history")
      .select(["id", "workflow_id", "status", "nl_input", "workflow_template", "start_time", "end_time"])
      .where("status", "in", ["completed", "failed"])
      .where("patterns_processed_at", "is not", null)
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    const tail = runs[runs.length - 1];
    if (tail === undefined) return;
    lastId = tail.id;
    const ids = runs.map((run) => run.workflow_id);
    const occurrences = await db
      .selectFrom("pattern_occurrences as po")
      .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
      .select(["po.workflow_id", "op.pattern_signature"])
      .where("po.workflow_id", "in", ids)
      .orderBy("op.pattern_signature")
      .execute();
    const predicted = await db
      .selectFrom("pattern_predictions")
      .select("workflow_id")
      .distinct()
      .where("workflow_id", "in", ids)
      .execute();
    const actual = new Map<string, string[]>();
    for (const row of occurrences) {
      const list = actual.get(row.workflow_id);
      if (list === undefined) actual.set(row.workflow_id, [row.pattern_signature]);
      else list.push(row.pattern_signature);
    }
    const withPredictions = new Set(predicted.map((row) => row.workflow_id));
    const page: ReplayableRun[] = [];
    for (const run of runs) {
      if (!run.start_time || !run.end_time) continue;
      page.push({
        workflow_id: run.workflow_id,
        status: run.status as ReplayableRun["status"],
        nl_input: run.nl_input,
        workflow_template: run.workflow_template,
        start_time: run.start_time,
        end_time: run.end_time,
        actual: actual.get(run.workflow_id) ?? [],
        has_predictions: withPredictions.has(run.workflow_id),
      });
    }
    yield page;
  }
}
