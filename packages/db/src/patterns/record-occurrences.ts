import {
  addOccurrences,
  type DetectedOccurrence,
  type OccurrenceObservation,
  type PatternState,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { INSERT_CHUNK } from "../multi-row-insert.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";
import { insertOccurrenceRows, OCCURRENCE_COLUMNS } from "./insert-occurrences.js";
import { stateFromRow } from "./pattern-state-row.js";
import { type PreparedOccurrence, type PreparedRun, prepareRun } from "./prepared-occurrence.js";
import { storePatternStates } from "./store-pattern-states.js";

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
 * order, the order a full recompute uses. The patterns predicted for these runs (and not validated yet)
 * are locked in the same order and statement, so that validating the runs next in this transaction waits
 * for no further pattern row.
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
    { lockPredictionsOf: runs.map((run) => run.workflow_id) },
  );
}

/** Options of {@link recordPreparedOccurrences}. */
export interface RecordPreparedOccurrencesOptions {
  /**
   * Runs whose predicted patterns (not validated yet) are locked with the patterns of the occurrences, for
   * a caller that validates those runs' predictions next in the same transaction: the validation's
   * pattern rows would otherwise be locked after the others, in an order another writer may not share.
   */
  lockPredictionsOf?: readonly string[];
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
  options: RecordPreparedOccurrencesOptions = {},
): Promise<RecordOccurrencesResult> {
  // Sorted, so that concurrent writers create pattern rows in one order and cannot deadlock.
  const sorted = [...new Set(signatures)].sort();
  if (sorted.length === 0) return { newOccurrences: 0, newPatterns: [] };
  const { ids, created, rows } = await ensureAndLockPatterns(trx, sorted, options.lockPredictionsOf ?? []);
  const now = new Date().toISOString();
  const engine = engineFor(trx);

  // The observations of the rows inserted, per pattern in insertion order: folded into each pattern's
  // state at the end, all at once.
  const added = new Map<number, OccurrenceObservation[]>();
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
      let observations = added.get(patternId);
      if (observations === undefined) {
        observations = [];
        added.set(patternId, observations);
      }
      observations.push(observed[row] as OccurrenceObservation);
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

  const states = new Map<number, PatternState>();
  for (const [patternId, observations] of added)
    states.set(
      patternId,
      addOccurrences(stateFromRow(rows.get(patternId) as OperationPattern), observations),
    );
  await storePatternStates(trx, states, now);
  return { newOccurrences, newPatterns: created };
}

/**
 * The rows of these patterns, locked before their occurrences are inserted: a pattern's new occurrences
 * then get their ids while no other writer can fold into it, so id order is fold order and a recount in id
 * order gives the same floating-point sums. Locked in id order, in one statement, where writers run at once
 * (PostgreSQL); on SQLite the write transaction already holds the database's one write lock.
 */
export async function lockPatterns(
  trx: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, OperationPattern>> {
  if (ids.length === 0) return new Map();
  const rows = await engineFor(trx)
    .forWrite(
      trx
        .selectFrom("operation_patterns")
        .selectAll()
        .where("id", "in", [...ids])
        .orderBy("id"),
    )
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * {@link ensurePatterns} and {@link lockPatterns} of the signatures, with the patterns predicted for
 * `predictionsOf` (predictions not validated yet) locked as well: one statement when every pattern exists
 * already, as it does but for a history's first runs. The missing ones are created, then everything is
 * locked again in id order (the rows already held wait for nothing).
 */
async function ensureAndLockPatterns(
  trx: Kysely<Database>,
  signatures: readonly string[],
  predictionsOf: readonly string[],
): Promise<{ ids: Map<string, number>; created: string[]; rows: Map<number, OperationPattern> }> {
  let rows = await lockPatternsOf(trx, signatures, predictionsOf);
  const found = new Set(rows.map((row) => row.pattern_signature));
  const missing = signatures.filter((signature) => !found.has(signature));
  let created: string[] = [];
  if (missing.length > 0) {
    created = await insertPatterns(trx, missing);
    rows = await lockPatternsOf(trx, signatures, predictionsOf);
  }
  const wanted = new Set(signatures);
  return {
    ids: new Map(
      rows.filter((row) => wanted.has(row.pattern_signature)).map((row) => [row.pattern_signature, row.id]),
    ),
    created,
    rows: new Map(rows.map((row) => [row.id, row])),
  };
}

/** The rows of the signatures' patterns and of those predicted for the runs, locked in id order. */
function lockPatternsOf(
  trx: Kysely<Database>,
  signatures: readonly string[],
  predictionsOf: readonly string[],
): Promise<OperationPattern[]> {
  return engineFor(trx)
    .forWrite(
      trx
        .selectFrom("operation_patterns")
        .selectAll()
        .where((eb) =>
          predictionsOf.length === 0
            ? eb("pattern_signature", "in", [...signatures])
            : eb.or([
                eb("pattern_signature", "in", [...signatures]),
                eb(
                  "id",
                  "in",
                  eb
                    .selectFrom("pattern_predictions")
                    .select("pattern_id")
                    .where("workflow_id", "in", [...predictionsOf])
                    .where("validated_at", "is", null),
                ),
              ]),
        )
        .orderBy("id"),
    )
    .execute();
}

/** Creates the patterns of these signatures that do not exist (`detected`, no statistics yet); returns those created, sorted. */
async function insertPatterns(trx: Kysely<Database>, signatures: readonly string[]): Promise<string[]> {
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
  return created.map((row) => row.pattern_signature).sort();
}

/** The ids of the signatures' patterns, creating the missing ones (`detected`, no statistics yet). */
export async function ensurePatterns(
  trx: Kysely<Database>,
  signatures: readonly string[],
): Promise<{ ids: Map<string, number>; created: string[] }> {
  const created = await insertPatterns(trx, signatures);
  const rows = await trx
    .selectFrom("operation_patterns")
    .select(["id", "pattern_signature"])
    .where("pattern_signature", "in", signatures)
    .execute();
  return { ids: new Map(rows.map((row) => [row.pattern_signature, row.id])), created };
}
