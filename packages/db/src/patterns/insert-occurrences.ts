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

/** The PostgreSQL type of each of {@link OCCURRENCE_COLUMNS}, for the arrays of {@link INSERT_FROM_ARRAYS}. */
const COLUMN_TYPES = [
  "integer",
  "text",
  "text",
  "bigint",
  "double precision",
  "text",
  "text",
  "text",
] as const satisfies { length: typeof WIDTH };

/**
 * Where the engine takes arrays (PostgreSQL): the rows as one array per column, unnested in order. Eight
 * parameters whatever the number of rows, where hundreds of `values` rows of eight parameters each took the
 * server longer to parse and plan than to insert.
 */
const INSERT_FROM_ARRAYS = `insert into pattern_occurrences (${OCCURRENCE_COLUMNS.join(", ")})
  select * from unnest(${COLUMN_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(", ")})
  on conflict (pattern_id, workflow_id) do nothing returning id, ${KEY_COLUMNS.join(", ")}`;

/** The values of `rows` rows, bound row by row, as one array per column. */
function columnsOf(values: readonly unknown[], rows: number): unknown[][] {
  return OCCURRENCE_COLUMNS.map((_, column) => {
    const array = new Array<unknown>(rows);
    for (let row = 0; row < rows; row++) array[row] = values[row * WIDTH + column];
    return array;
  });
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
    engine.updatesFromArrays
      ? CompiledQuery.raw(INSERT_FROM_ARRAYS, columnsOf(values, rows))
      : CompiledQuery.raw(insertOccurrencesSql(engine, rows), values as unknown[]),
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
