import { CompiledQuery, type Kysely } from "kysely";
import type { Engine } from "../engine/engine.js";
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

/** What tells one occurrence row from another, and which rows an insert inserted. */
const KEY_COLUMNS = ["pattern_id", "workflow_id"] as const;

/** `insert … on conflict do nothing` of `rows` occurrences, ending so as to tell which rows it inserted. */
function insertOccurrencesSql(engine: Engine, rows: number): string {
  return engine.multiRowInsertSql(
    "pattern_occurrences",
    OCCURRENCE_COLUMNS,
    rows,
    `on conflict (pattern_id, workflow_id) do nothing${engine.returningInserted(KEY_COLUMNS)}`,
  );
}

type InsertedKey = { pattern_id: number; workflow_id: string };

/**
 * Inserts the occurrence rows of `values` ({@link OCCURRENCE_COLUMNS} in order, one of
 * the engine's `insertChunkSizes`) where absent, in one statement. Returns the positions of the rows inserted, in
 * id order: the order their statistics fold in. When every row or none was inserted, the inserted rows are
 * not looked at (every row took an ascending id in order); otherwise the engine tells which they were.
 */
export async function insertOccurrenceRows(
  trx: Kysely<Database>,
  engine: Engine,
  values: readonly unknown[],
): Promise<number[]> {
  const rows = values.length / WIDTH;
  const result = await trx.executeQuery<InsertedKey & { id: number }>(
    CompiledQuery.raw(insertOccurrencesSql(engine, rows), values as unknown[]),
  );
  const changes = engine.insertedCount(result);
  if (changes === rows) return Array.from({ length: rows }, (_, row) => row);
  if (changes === 0) return [];
  const inserted = await engine.insertedRows(trx, result, "pattern_occurrences", KEY_COLUMNS, changes);
  const positions = new Map<string, number>();
  for (let row = rows - 1; row >= 0; row--)
    positions.set(keyText(values[row * WIDTH], values[row * WIDTH + 1]), row);
  return inserted.map((key) => positions.get(keyText(key.pattern_id, key.workflow_id)) as number);
}

function keyText(patternId: unknown, workflowId: unknown): string {
  return `${patternId} ${workflowId}`;
}
