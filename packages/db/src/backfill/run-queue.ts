import { type Kysely, type RawBuilder, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

const FINISHED = ["completed", "failed"] as const;

/** Counts of the finished runs a backfill looks at. */
export async function countFinishedRuns(
  db: Kysely<Database>,
): Promise<{ finished: number; pending: number }> {
  const row = await db
    .selectFrom("workflow_history")
    .select((eb) => [
      eb.fn.countAll<number>().as("finished"),
      eb.fn.count<number>("workflow_id").filterWhere("patterns_processed_at", "is", null).as("pending"),
    ])
    .where("status", "in", FINISHED)
    .executeTakeFirstOrThrow();
  return { finished: Number(row.finished), pending: Number(row.pending) };
}

/**
 * The row ids of finished runs whose patterns are not recorded yet, oldest first: runs without a workflow
 * time first (by id), then by workflow time and id. One sorted read at the start of a backfill, each part
 * as one JSON array of numbers: a million runs take a few megabytes, where as many row objects took a
 * hundred and fifty. Kept as a `Float64Array`, outside the JavaScript heap: 8 MB of numbers there made the
 * collector let the heap grow by several times that before collecting.
 */
export async function unprocessedRunIds(db: Kysely<Database>): Promise<Float64Array> {
  const untimed = await idsInOrder(db, sql`workflow_time is null`, sql`id`);
  const timed = await idsInOrder(db, sql`workflow_time is not null`, sql`workflow_time, id`);
  const queue = new Float64Array(untimed.length + timed.length);
  queue.set(untimed);
  queue.set(timed, untimed.length);
  return queue;
}

/** The ids of the queue's batch that starts at `start`. */
export function batchOf(queue: Float64Array, start: number, batchSize: number): number[] {
  return Array.from(queue.subarray(start, start + batchSize));
}

async function idsInOrder(db: Kysely<Database>, where: RawBuilder<unknown>, order: RawBuilder<unknown>) {
  const ids = engineFor(db).jsonArrayAgg(sql`id`, order);
  const { rows } = await sql<{ ids: string | number[] | null }>`
    select ${ids} as ids from workflow_history
    where status in (${sql.join(FINISHED.map((status) => sql.lit(status)))})
      and patterns_processed_at is null and ${where}`.execute(db);
  // SQLite gives JSON text ('[]' for none), PostgreSQL the parsed array (NULL for none).
  const found = rows[0]?.ids ?? [];
  return (typeof found === "string" ? JSON.parse(found) : found) as number[];
}

/**
 * Sets the processed marker of the runs of these row ids, with the engine's `in` list (on SQLite one
 * statement for every batch).
 */
export async function markRunsProcessed(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  const now = new Date().toISOString();
  await sql`update workflow_history set patterns_processed_at = ${now}
    where id in ${engineFor(db).inList(ids)}`.execute(db);
}
