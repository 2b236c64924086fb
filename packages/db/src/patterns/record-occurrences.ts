import {
  addOccurrence,
  type DetectedOccurrence,
  type OccurrenceObservation,
  type PatternState,
  publishStatistics,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { INSERT_CHUNK } from "../multi-row-insert.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";
import { insertOccurrenceRows, OCCURRENCE_COLUMNS } from "./insert-occurrences.js";
import { stateColumns, stateFromRow } from "./pattern-state-row.js";
import { type PreparedOccurrence, type PreparedRun, prepareRun } from "./prepared-occurrence.js";

/** One run's occurrences, as {@link recordOccurrences} takes them. */
export interface RunWithOccurrences {
  workflow_id: string;
  occurrences: readonly DetectedOccurrence[];
}

export interface RecordOccurrencesResult {
  /** Occurrences that were not recorded before. */
  newOccurrences: number;
  /** Signatures seen for the first time. */
  newPatterns: string[];
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
  runs: readonly RunWithOccurrences[],
): Promise<RecordOccurrencesResult> {
  const prepared = withLastObservations(runs.map((run) => prepareRun(run.workflow_id, run.occurrences)));
  return recordPreparedOccurrences(
    trx,
    prepared.flatMap((run) => run.occurrences.map((o) => o.signature)),
    prepared,
  );
}

/**
 * A pattern given twice for one run is recorded once; its statistics have always folded the observation
 * given last. Kept so, where {@link recordPreparedOccurrences} folds the observation of the row it inserted.
 */
function withLastObservations(runs: PreparedRun[]): PreparedRun[] {
  const last = new Map<string, PreparedOccurrence>();
  for (const run of runs)
    for (const occurrence of run.occurrences)
      last.set(`${occurrence.signature} ${run.workflow_id}`, occurrence);
  if (last.size === runs.reduce((sum, run) => sum + run.occurrences.length, 0)) return runs;
  return runs.map((run) => ({
    workflow_id: run.workflow_id,
    occurrences: run.occurrences.map((occurrence) => ({
      ...occurrence,
      observation: (last.get(`${occurrence.signature} ${run.workflow_id}`) as PreparedOccurrence).observation,
    })),
  }));
}

/**
 * {@link recordOccurrences} of occurrences already in their stored shape (see {@link prepareRun}), read as
 * they are stored: a chunk of rows at a time, inserted, then folded, so that a caller who produces the runs
 * lazily holds no more than a chunk of them. `signatures` holds every signature of the runs (in any order,
 * repeated or not). A row that already existed is not folded; a row inserted folds its own observation.
 */
export async function recordPreparedOccurrences(
  trx: Kysely<Database>,
  signatures: Iterable<string>,
  runs: Iterable<PreparedRun>,
): Promise<RecordOccurrencesResult> {
  // Sorted, so that concurrent writers create and lock pattern rows in one order and cannot deadlock.
  const sorted = [...new Set(signatures)].sort();
  if (sorted.length === 0) return { newOccurrences: 0, newPatterns: [] };
  const { ids, created } = await ensurePatterns(trx, sorted);
  const now = new Date().toISOString();
  const engine = engineFor(trx);
  const rows = await lockPatterns(trx, [...new Set(ids.values())], now);

  // The fold states of the patterns that gain occurrences, from their rows.
  const states = new Map<number, PatternState>();
  let newOccurrences = 0;
  // The rows waiting for an insert, with the pattern and the observation each one folds in.
  let values: unknown[] = [];
  let patternOf: number[] = [];
  let observed: OccurrenceObservation[] = [];
  const store = async (size: number) => {
    const inserted = await insertOccurrenceRows(
      trx,
      engine,
      values.slice(0, size * OCCURRENCE_COLUMNS.length),
    );
    for (const row of inserted) {
      const patternId = patternOf[row] as number;
      const state = states.get(patternId) ?? stateFromRow(rows.get(patternId) as OperationPattern);
      states.set(patternId, addOccurrence(state, observed[row] as OccurrenceObservation));
    }
    newOccurrences += inserted.length;
    values = values.slice(size * OCCURRENCE_COLUMNS.length);
    patternOf = patternOf.slice(size);
    observed = observed.slice(size);
  };
  for (const run of runs) {
    for (const occurrence of run.occurrences) {
      const patternId = ids.get(occurrence.signature);
      if (patternId === undefined) throw new TypeError(`${occurrence.signature} is not among the signatures`);
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
      if (patternOf.length === INSERT_CHUNK) await store(INSERT_CHUNK);
    }
  }
  for (const size of engine.insertChunkSizes(patternOf.length)) await store(size);
  if (newOccurrences === 0) return { newOccurrences: 0, newPatterns: created };

  await storePatternStates(trx, states, now);
  return { newOccurrences, newPatterns: created };
}

/**
 * Writes patterns' fold states and the statistics published from them, in id order. The savings figures are
 * not written: they move with the whole history, so they are derived when read (see `withSavings`).
 */
export async function storePatternStates(
  trx: Kysely<Database>,
  states: ReadonlyMap<number, PatternState>,
  now: string,
): Promise<void> {
  for (const [patternId, state] of [...states].sort(([a], [b]) => a - b)) {
    await trx
      .updateTable("operation_patterns")
      .set({ ...stateColumns(state), ...publishStatistics(state), updated_at: now })
      .where("id", "=", patternId)
      .execute();
  }
}

/**
 * The rows of these patterns, locked before their occurrences are inserted: a pattern's new occurrences
 * then get their ids while no other writer can fold into it, so id order is fold order and a recount in id
 * order gives the same floating-point sums. Locked in id order where writers run at once (PostgreSQL); on
 * SQLite the write transaction already holds the database's one write lock.
 */
export async function lockPatterns(
  trx: Kysely<Database>,
  ids: number[],
  now: string,
): Promise<Map<number, OperationPattern>> {
  const sorted = ids.sort((a, b) => a - b);
  const rows = await engineFor(trx).lockPatternRows(trx, sorted, now);
  return new Map(rows.map((row) => [row.id, row]));
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
