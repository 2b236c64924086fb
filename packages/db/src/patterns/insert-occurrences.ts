import { CompiledQuery, type Kysely } from "kysely";
import { multiRowInsertSql } from "../multi-row-insert.js";
import type { DatabaseEngine } from "../opened-database.js";
import type { Database } from "../schema/database.js";

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

/** `insert … on conflict do nothing` of `rows` occurrences (`returning` the rows inserted on PostgreSQL). */
function insertOccurrencesSql(engine: DatabaseEngine, rows: number): string {
  return multiRowInsertSql(
    engine,
    "pattern_occurrences",
    OCCURRENCE_COLUMNS,
    rows,
    "on conflict (pattern_id, workflow_id) do nothing" +
      (engine === "postgres" ? " returning id, pattern_id, workflow_id" : ""),
  );
}

type InsertedKey = { pattern_id: number; workflow_id: string };

/**
 * Inserts the occurrence rows of `values` ({@link OCCURRENCE_COLUMNS} in order, one of
 * `chunkSizes`' sizes) where absent, in one statement. Returns the positions of the rows inserted, in
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
