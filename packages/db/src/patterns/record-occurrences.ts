import {
  addOccurrence,
  DEFAULT_STATISTICS_CONFIG,
  monthlySavings,
  type OccurrenceObservation,
  publishStatistics,
  type RunOccurrence,
  type StatisticsConfig,
} from "@patternloop/core";
import { CompiledQuery, type Kysely } from "kysely";
import { engineOf } from "../engine-of.js";
import type { DatabaseEngine } from "../opened-database.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";
import { type HistorySpan, readHistorySpan } from "./history-span.js";
import { stateColumns, stateFromRow } from "./pattern-state-row.js";
import { type PreparedRun, prepareRun } from "./prepared-occurrence.js";

/** One run's occurrences, as {@link recordOccurrences} takes them. */
export interface RunOccurrences {
  workflow_id: string;
  occurrences: readonly RunOccurrence[];
}

export interface RecordOccurrencesResult {
  /** Occurrences that were not recorded before. */
  newOccurrences: number;
  /** Signatures seen for the first time. */
  newPatterns: string[];
}

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 512;

/** The columns of an occurrence as `insertOccurrencesSql` binds them, in order. */
const OCCURRENCE_COLUMNS = [
  "pattern_id",
  "workflow_id",
  "workflow_time",
  "tokens_attributed",
  "cost_attributed",
  "attribution",
  "evidence",
  "detected_at",
] as const;

/**
 * Row counts of the inserts that store `rows` occurrences, in order: full chunks, then powers of two. Any
 * number of rows takes statements of at most ten sizes, so SQLite's cache of prepared statements (a few
 * hundred kilobytes each at this size) holds ten of them, not one per batch.
 */
function chunkSizes(rows: number): number[] {
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
 * written once per engine and size.
 * Built by Kysely's query builder, the thousands of values of a backfill batch cost more to compile than the
 * database takes to insert them.
 */
function insertOccurrencesSql(engine: DatabaseEngine, rows: number): string {
  const key = `${engine} ${rows}`;
  let text = insertSql.get(key);
  if (text === undefined) {
    const width = OCCURRENCE_COLUMNS.length;
    const tuples = Array.from(
      { length: rows },
      (_, row) =>
        `(${OCCURRENCE_COLUMNS.map((_, column) => (engine === "postgres" ? `$${row * width + column + 1}` : "?")).join(", ")})`,
    );
    text =
      `insert into pattern_occurrences (${OCCURRENCE_COLUMNS.join(", ")}) values ${tuples.join(", ")} ` +
      "on conflict (pattern_id, workflow_id) do nothing" +
      (engine === "postgres" ? " returning id, pattern_id, workflow_id" : "");
    insertSql.set(key, text);
  }
  return text;
}

/**
 * Records the occurrences of some runs and moves the statistics of the patterns they touch, in the
 * caller's transaction. Insert-if-absent: an occurrence recorded before changes nothing, so recording a
 * run twice is the same as once (§4). Each touched pattern row is updated once, locked in id order
 * (no deadlock between concurrent PostgreSQL writers), and its new occurrences are folded in insertion
 * order, the order a full recompute uses.
 */
export async function recordOccurrences(
  trx: Kysely<Database>,
  runs: readonly RunOccurrences[],
  config: StatisticsConfig = DEFAULT_STATISTICS_CONFIG,
  /** The history's span, when the caller knows it (a backfill reads it once); read here otherwise. */
  knownSpan?: HistorySpan,
): Promise<RecordOccurrencesResult> {
  return recordPreparedOccurrences(
    trx,
    runs.map((run) => prepareRun(run.workflow_id, run.occurrences)),
    config,
    knownSpan,
  );
}

/** {@link recordOccurrences} of occurrences already in their stored shape (see {@link prepareRun}). */
export async function recordPreparedOccurrences(
  trx: Kysely<Database>,
  runs: readonly PreparedRun[],
  config: StatisticsConfig = DEFAULT_STATISTICS_CONFIG,
  knownSpan?: HistorySpan,
): Promise<RecordOccurrencesResult> {
  // Sorted, so that concurrent writers create and lock pattern rows in one order and cannot deadlock.
  const signatures = [...new Set(runs.flatMap((run) => run.occurrences.map((o) => o.signature)))].sort();
  if (signatures.length === 0) return { newOccurrences: 0, newPatterns: [] };
  const { ids, created } = await ensurePatterns(trx, signatures);
  const now = new Date().toISOString();
  // Lock the pattern rows before inserting their occurrences: a pattern's new occurrences then get their ids
  // while no other writer can fold into it, so id order is fold order and a recount in id order gives the
  // same floating-point sums. On SQLite the write transaction already holds the database's one write lock.
  const rows = new Map<number, OperationPattern>();
  const patternIds = [...new Set(ids.values())].sort((a, b) => a - b);
  const engine = engineOf(trx);
  if (engine === "postgres") {
    for (const id of patternIds) {
      rows.set(
        id,
        await trx
          .updateTable("operation_patterns")
          .set({ updated_at: now })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
  } else {
    for (const row of await trx
      .selectFrom("operation_patterns")
      .selectAll()
      .where("id", "in", patternIds)
      .execute())
      rows.set(row.id, row);
  }

  // The rows to insert, in order, with the pattern and the observation each one would fold in.
  const values: unknown[] = [];
  const patternOf: number[] = [];
  const observed: OccurrenceObservation[] = [];
  for (const run of runs) {
    for (const occurrence of run.occurrences) {
      const patternId = ids.get(occurrence.signature) as number;
      patternOf.push(patternId);
      observed.push(occurrence.observation);
      // Bound as they are: `undefined` (which Kysely's builder leaves to the column default, NULL here) as NULL.
      values.push(
        patternId,
        run.workflow_id,
        occurrence.observation.workflow_time ?? null,
        occurrence.observation.tokens ?? null,
        occurrence.observation.cost ?? null,
        occurrence.attribution ?? null,
        occurrence.evidence,
        now,
      );
    }
  }
  const inserted = await insertOccurrences(trx, engine, values);
  if (inserted.length === 0) return { newOccurrences: 0, newPatterns: created };

  // Each pattern's new occurrences in id order.
  const byPattern = new Map<number, OccurrenceObservation[]>();
  for (const row of inserted) {
    const patternId = patternOf[row] as number;
    const list = byPattern.get(patternId) ?? [];
    list.push(observed[row] as OccurrenceObservation);
    byPattern.set(patternId, list);
  }
  const span = knownSpan ?? (await readHistorySpan(trx));
  for (const [patternId, occurrences] of [...byPattern].sort(([a], [b]) => a - b)) {
    let state = stateFromRow(rows.get(patternId) as OperationPattern);
    for (const observation of occurrences) state = addOccurrence(state, observation);
    const published = publishStatistics(state, config);
    await trx
      .updateTable("operation_patterns")
      .set({
        ...stateColumns(state),
        ...published,
        updated_at: now,
        potential_monthly_savings: monthlySavings(
          published.avg_cost_with_llm,
          published.avg_cost_with_tool,
          published.occurrence_count,
          span.days,
        ),
      })
      .where("id", "=", patternId)
      .execute();
  }
  return { newOccurrences: inserted.length, newPatterns: created };
}

/** What {@link insertOccurrences} returns for one inserted row. */
type InsertedKey = { pattern_id: number; workflow_id: string };

/**
 * Inserts the occurrence rows of `values` (in {@link OCCURRENCE_COLUMNS} order) where absent. Returns the
 * positions of the rows inserted, in id order (the order of their folds). When some already existed (a
 * conflict), a row stands for the last row given with its pattern and workflow, as a map from those keys
 * would. On SQLite a chunk that inserted all its rows needs nothing read back: they took ascending ids in
 * order; a chunk with conflicts reads back the rows it inserted (the last ids, up to the last one inserted).
 * PostgreSQL returns them.
 */
async function insertOccurrences(
  trx: Kysely<Database>,
  engine: DatabaseEngine,
  values: readonly unknown[],
): Promise<number[]> {
  const width = OCCURRENCE_COLUMNS.length;
  const rows = values.length / width;
  // The keys inserted, in id order, or undefined while every row so far was inserted.
  let keys: InsertedKey[] | undefined;
  let at = 0;
  for (const size of chunkSizes(rows)) {
    const parameters = values.slice(at * width, (at + size) * width);
    const chunk = await trx.executeQuery<InsertedKey & { id: number }>(
      CompiledQuery.raw(insertOccurrencesSql(engine, size), parameters),
    );
    const changes = engine === "postgres" ? chunk.rows.length : Number(chunk.numAffectedRows ?? 0);
    if (changes !== size || keys !== undefined) {
      keys ??= keysOf(values, 0, at);
      if (engine === "postgres") keys.push(...chunk.rows.sort((a, b) => a.id - b.id));
      else if (changes === size) keys.push(...keysOf(values, at, at + size));
      else if (changes > 0) keys.push(...(await insertedBefore(trx, Number(chunk.insertId), changes)));
    }
    at += size;
  }
  if (keys === undefined) return Array.from({ length: rows }, (_, row) => row);
  const positions = new Map<string, number>();
  for (let row = 0; row < rows; row++)
    positions.set(keyText(values[row * width], values[row * width + 1]), row);
  return keys.map((key) => positions.get(keyText(key.pattern_id, key.workflow_id)) as number);
}

function keysOf(values: readonly unknown[], from: number, to: number): InsertedKey[] {
  const width = OCCURRENCE_COLUMNS.length;
  const keys: InsertedKey[] = [];
  for (let row = from; row < to; row++)
    keys.push({ pattern_id: values[row * width] as number, workflow_id: values[row * width + 1] as string });
  return keys;
}

function keyText(patternId: unknown, workflowId: unknown): string {
  return `${patternId} ${workflowId}`;
}

/** SQLite: the `count` occurrences inserted last, up to id `last`, in id order. */
async function insertedBefore(trx: Kysely<Database>, last: number, count: number): Promise<InsertedKey[]> {
  const rows = await trx
    .selectFrom("pattern_occurrences")
    .select(["pattern_id", "workflow_id"])
    .where("id", "<=", last)
    .orderBy("id", "desc")
    .limit(count)
    .execute();
  return rows.reverse();
}

/** The ids of the signatures' patterns, creating the missing ones (`detected`, no statistics yet). */
export async function ensurePatterns(
  trx: Kysely<Database>,
  signatures: readonly string[],
): Promise<{ ids: Map<string, number>; created: string[] }> {
  const created = await trx
    .insertInto("operation_patterns")
    .values(
      signatures.map((signature) => ({
        pattern_signature: signature,
        pattern_type: signature.slice(0, signature.indexOf(":")),
      })),
    )
    .onConflict((oc) => oc.column("pattern_signature").doNothing())
    .returning("pattern_signature")
    .execute();
  const rows = await trx
    .selectFrom("operation_patterns")
    .select(["id", "pattern_signature"])
    .where("pattern_signature", "in", signatures)
    .execute();
  return {
    ids: new Map(rows.map((row) => [row.pattern_signature, row.id])),
    created: created.map((row) => row.pattern_signature).sort(),
  };
}
