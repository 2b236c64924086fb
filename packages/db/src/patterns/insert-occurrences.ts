import { CompiledQuery, type Kysely } from "kysely";
import type { DatabaseEngine } from "../opened-database.js";
import type { Database } from "../schema/database.js";

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const INSERT_CHUNK = 512;

/** The columns of an occurrence as {@link insertOccurrenceRows} binds them, in order. */
export const OCCURRENCE_COLUMNS = [
  "pattern_id",
  "workflow_id",
  "workflow_time",
  "tokens_attributed",
  "cost_attributed",
  "attribution",
  "evidence",
  "detected_at",
] as const;

const WIDTH = OCCURRENCE_COLUMNS.length;

/**
 * Row counts of the inserts that store `rows` occurrences, in order: full chunks, then powers of two. Any
 * number of rows takes statements of at most ten sizes, so SQLite's cache of prepared statements (a few
 * hundred kilobytes each at this size) holds ten of them, not one per batch.
 */
export function chunkSizes(rows: number): number[] {
  const sizes: number[] = [];
  for (let left = rows; left > 0; ) {
    const size = left >= INSERT_CHUNK ? INSERT_CHUNK : 2 ** Math.floor(Math.log2(left));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

const insertSql = new Map<string, string>();

/**
 * `insert … on conflict do nothing` of `rows` occurrences (`returning` the rows inserted on PostgreSQL),
 * written once per engine and size. Built by Kysely's query builder, the thousands of values of a backfill
 * batch cost more to compile than the database takes to insert them.
 */
function insertOccurrencesSql(engine: DatabaseEngine, rows: number): string {
  const key = `${engine} ${rows}`;
  let text = insertSql.get(key);
  if (text === undefined) {
    const tuples = Array.from(
      { length: rows },
      (_, row) =>
        `(${OCCURRENCE_COLUMNS.map((_, column) => (engine === "postgres" ? `$${row * WIDTH + column + 1}` : "?")).join(", ")})`,
    );
    text =
      `insert into pattern_occurrences (${OCCURRENCE_COLUMNS.join(", ")}) values ${tuples.join(", ")} ` +
      "on conflict (pattern_id, workflow_id) do nothing" +
      (engine === "postgres" ? " returning id, pattern_id, workflow_id" : "");
    insertSql.set(key, text);
  }
  return text;
}

type InsertedKey = { pattern_id: number; workflow_id: string };

/**
 * Inserts the occurrence rows of `values` ({@link OCCURRENCE_COLUMNS} in order, one of
 * {@link chunkSizes}' sizes) where absent, in one statement. Returns the positions of the rows inserted, in
 * id order: the order their statistics fold in. On SQLite, when every row was inserted nothing is read back
 * (they took ascending ids in order); when some existed, the rows inserted are read back (the last ids, up
 * to the last one inserted). PostgreSQL returns them.
 */
export async function insertOccurrenceRows(
  trx: Kysely<Database>,
  engine: DatabaseEngine,
  values: readonly unknown[],
): Promise<number[]> {
  const rows = values.length / WIDTH;
  const result = await trx.executeQuery<InsertedKey & { id: number }>(
    CompiledQuery.raw(insertOccurrencesSql(engine, rows), values as unknown[]),
  );
  const changes = engine === "postgres" ? result.rows.length : Number(result.numAffectedRows ?? 0);
  if (changes === rows) return Array.from({ length: rows }, (_, row) => row);
  if (changes === 0) return [];
  const inserted =
    engine === "postgres"
      ? result.rows.sort((a, b) => a.id - b.id)
      : await insertedUpTo(trx, Number(result.insertId), changes);
  const positions = new Map<string, number>();
  for (let row = rows - 1; row >= 0; row--)
    positions.set(keyText(values[row * WIDTH], values[row * WIDTH + 1]), row);
  return inserted.map((key) => positions.get(keyText(key.pattern_id, key.workflow_id)) as number);
}

function keyText(patternId: unknown, workflowId: unknown): string {
  return `${patternId} ${workflowId}`;
}

/** SQLite: the `count` occurrences inserted last, up to id `last`, in id order. */
async function insertedUpTo(trx: Kysely<Database>, last: number, count: number): Promise<InsertedKey[]> {
  const rows = await trx
    .selectFrom("pattern_occurrences")
    .select(["pattern_id", "workflow_id"])
    .where("id", "<=", last)
    .orderBy("id", "desc")
    .limit(count)
    .execute();
  return rows.reverse();
}
