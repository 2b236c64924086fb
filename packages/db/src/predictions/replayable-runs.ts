import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import { runsWithPredictions } from "./runs-with-predictions.js";

/** A finished run as a replay of the history needs it: when it ran, what it asked, what it actually did. */
export interface ReplayableRun extends ReplayableRunTimes {
  status: "completed" | "failed";
  nl_input: string | null;
  workflow_template: string | null;
  /** The signatures of the patterns recorded for it. */
  actual: string[];
  /** Whether predictions are stored for it already (live, or by an earlier replay). */
  has_predictions: boolean;
}

/** When a replayable run ran: all that placing it in time needs, so that a whole history's fits in memory. */
export interface ReplayableRunTimes {
  /** The row id, by which {@link replayableRunsByIds} reads the rest. */
  id: number;
  workflow_id: string;
  start_time: string;
  end_time: string;
}

/** Runs read per page, and ids per `in` list: memory per page flat however long the history is. */
const PAGE = 1000;

/** Finished runs whose patterns are recorded: the runs a replay can learn from and predict. */
function finishedAndRecorded(db: Kysely<Database>) {
  return db
    .selectFrom("workflow_history")
    .where("status", "in", ["completed", "failed"])
    .where("patterns_processed_at", "is not", null);
}

/**
 * The times of every finished run whose patterns are recorded and that has a start and an end time, in id
 * order, a page at a time. Runs without both times cannot be placed in time and are left out.
 */
export async function* replayableRunTimes(db: Kysely<Database>): AsyncGenerator<ReplayableRunTimes[]> {
  let lastId = 0;
  for (;;) {
    const runs = await finishedAndRecorded(db)
      .select(["id", "workflow_id", "start_time", "end_time"])
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    const tail = runs[runs.length - 1];
    if (tail === undefined) return;
    lastId = tail.id;
    yield runs.flatMap(({ id, workflow_id, start_time, end_time }) =>
      start_time && end_time ? [{ id, workflow_id, start_time, end_time }] : [],
    );
  }
}

/**
 * The replayable runs with these row ids (any order, any number), with their recorded patterns and whether
 * they have predictions; a run no longer replayable (deleted meanwhile) is left out. Three queries per
 * thousand ids.
 */
export async function replayableRunsByIds(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<ReplayableRun[]> {
  const found: ReplayableRun[] = [];
  for (const chunk of inChunks(ids, PAGE)) found.push(...(await readPage(db, chunk)));
  return found;
}

async function readPage(db: Kysely<Database>, ids: readonly number[]): Promise<ReplayableRun[]> {
  if (ids.length === 0) return [];
  const runs = await finishedAndRecorded(db)
    .select(["id", "workflow_id", "status", "nl_input", "workflow_template", "start_time", "end_time"])
    .where("id", "in", ids)
    .execute();
  if (runs.length === 0) return [];
  const workflowIds = runs.map((run) => run.workflow_id);
  const occurrences = await db
    .selectFrom("pattern_occurrences as po")
    .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
    .select(["po.workflow_id", "op.pattern_signature"])
    .where("po.workflow_id", "in", workflowIds)
    .orderBy("op.pattern_signature")
    .execute();
  const withPredictions = await runsWithPredictions(db, workflowIds);
  const actual = new Map<string, string[]>();
  for (const row of occurrences) {
    const list = actual.get(row.workflow_id);
    if (list === undefined) actual.set(row.workflow_id, [row.pattern_signature]);
    else list.push(row.pattern_signature);
  }
  return runs.flatMap((run) =>
    run.start_time && run.end_time
      ? [
          {
            id: run.id,
            workflow_id: run.workflow_id,
            status: run.status as ReplayableRun["status"],
            nl_input: run.nl_input,
            workflow_template: run.workflow_template,
            start_time: run.start_time,
            end_time: run.end_time,
            actual: actual.get(run.workflow_id) ?? [],
            has_predictions: withPredictions.has(run.workflow_id),
          },
        ]
      : [],
  );
}
