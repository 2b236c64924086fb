import { type Kysely, type RawBuilder, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";
import { type PackedRun, packedCalls, unpackRun } from "./calls-json.js";
import { readRunsThenCalls } from "./read-runs-then-calls.js";
import { type CallDetail, type StoredRun, toStoredRun } from "./stored-run.js";

/** A stored run, its row id (`workflow_history.id`) and its project (which a detector does not read). */
export interface QueuedRun {
  id: number;
  run: StoredRun;
  project: string | null;
}

/**
 * `loadRunsByRowIds` for the default detector and the statistics (`occurrencesOfRun`): see
 * {@link loadQueuedRuns} in `detection` detail.
 */
export async function loadRunsForDetection(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Iterable<StoredRun>> {
  const queued = await loadQueuedRuns(db, ids, "detection");
  return (function* () {
    for (const { run } of queued) yield run;
  })();
}

/**
 * The runs of some row ids with their ids, in the order given (unknown ids are left out), for a backfill.
 * In `full` detail the runs are those of `loadRunsByRowIds`. In `detection` detail they carry what the
 * default detector and the statistics (`occurrencesOfRun`) read of a tool call: of every call its name and
 * success; of a Bash call or a file edit also its `tool_use_id` and usage, and the command of a Bash call
 * and the `file_path` of a file edit. Where the calls are packed as JSON (SQLite) that is all a call carries
 * (a file edit's input is `{ file_path }`, another call's input `{}`; `duration_ms` and `timestamp` are left
 * out), and each run's calls are decoded only when iteration reaches it, so that they are garbage once that
 * run is handled instead of living as long as the whole batch; elsewhere the runs are those of `full` detail.
 */
export async function loadQueuedRuns(
  db: Kysely<Database>,
  ids: readonly number[],
  detail: CallDetail,
): Promise<Iterable<QueuedRun>> {
  if (ids.length === 0) return [];
  if (engineFor(db).packsCallsAsJson) {
    try {
      const { rows } = await queuedRunsQuery(ids, detail).execute(db);
      return decodeQueuedRuns(inQueueOrder(rows, ids), ids, detail);
    } catch {
      // A value the JSON of the calls cannot hold: read the plain way.
    }
  }
  const byId = new Map(
    (await readRunsThenCalls(db, "id", ids)).map(({ run, calls }) => [
      run.id,
      { id: run.id, run: toStoredRun(run, calls), project: run.project },
    ]),
  );
  return ids.flatMap((id) => {
    const queued = byId.get(id);
    return queued === undefined ? [] : [queued];
  });
}

/**
 * The packed read of {@link loadQueuedRuns}: the runs of the row ids (given as one JSON array, so that the
 * statement is the same whatever their number) and their calls (see `calls-json.ts`), in the order of the
 * ids: SQLite walks the array and looks each run up (`cross join` keeps the array as the outer loop).
 * {@link decodeQueuedRuns} checks that order.
 */
export function queuedRunsQuery(ids: readonly number[], detail: CallDetail): RawBuilder<PackedRun> {
  return sql<PackedRun>`
    select h.*, ${packedCalls(detail)} as tool_calls_json
    from json_each(${JSON.stringify(ids)}) as q cross join workflow_history as h
    where h.id = q.value`;
}

/**
 * The runs of {@link queuedRunsQuery}'s rows, decoded one by one as iteration reaches them. Throws
 * {@link QueueOrderError} on a row that comes before one it follows in `ids`.
 */
export function* decodeQueuedRuns(
  rows: Iterable<PackedRun>,
  ids: readonly number[],
  detail: CallDetail,
): Generator<QueuedRun> {
  let at = 0;
  for (const row of rows) {
    while (at < ids.length && ids[at] !== row.id) at++;
    if (at === ids.length) throw new QueueOrderError();
    at++;
    yield { id: row.id, run: unpackRun(row, detail), project: row.project };
  }
}

/** Rows of {@link queuedRunsQuery} that did not come in the order of their ids. */
export class QueueOrderError extends Error {
  override readonly name = "QueueOrderError";
  constructor() {
    super("runs read out of the order of their ids");
  }
}

/** The rows in the order of `ids`: as they are when they came so (always, in practice), else sorted. */
function inQueueOrder(rows: PackedRun[], ids: readonly number[]): PackedRun[] {
  const position = new Map(ids.map((id, index) => [id, index]));
  const ordered = rows.every(
    (row, i) => i === 0 || (position.get((rows[i - 1] as PackedRun).id) ?? -1) < (position.get(row.id) ?? -1),
  );
  return ordered ? rows : rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}
