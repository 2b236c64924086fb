import {
  bashCommandOf,
  type IdentifiedWorkflowRecord,
  projectOfRecord,
  type ToolCall,
  toUtcIso,
  workflowTimeOf,
} from "@patternloop/core";
import { CompiledQuery, type Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import { runRequestColumns } from "./insert-run-rows.js";
import { lockRuns } from "./lock-runs.js";
import { TOOL_CALL_COLUMNS, type ToolCallRow } from "./tool-call-columns.js";

export interface InsertRunsResult {
  inserted: number;
  /** Runs whose `workflow_id` was already stored: left as they are. */
  existing: number;
  toolCalls: number;
}

/**
 * Stores runs and their tool calls, in the caller's transaction. A run already stored (same `workflow_id`)
 * is left untouched, so loading the same history twice is the same as once. `workflow_time` is the run's
 * start, else its end, in UTC (times are stored as ISO UTC so that they compare as text); a run with neither
 * has no workflow time (never the time of loading).
 */
export function insertRuns(
  trx: Kysely<Database>,
  input: readonly IdentifiedWorkflowRecord[],
): Promise<InsertRunsResult> {
  return insertRunValues(trx, input.map(runValuesOf));
}

/**
 * A run's rows as the values its inserts bind: plain text, numbers and nulls, so that a loader can build
 * them on another thread (a worker that parses the file) and hand them to the thread that stores them.
 */
export interface RunValues {
  workflow_id: string;
  /** The `workflow_history` row: the columns of {@link runRow}, in order. */
  run: unknown[];
  /** The `workflow_tool_calls` rows of its calls (one per `tool_use_id`), one after the other. */
  calls: unknown[];
}

/** The values of a record's rows, as {@link insertRunValues} stores them. */
export function runValuesOf(record: IdentifiedWorkflowRecord): RunValues {
  const calls: unknown[] = [];
  const unique = uniqueToolCalls(record.tool_calls ?? []);
  for (let seq = 0; seq < unique.length; seq++)
    pushToolCallValues(calls, record.workflow_id, unique[seq] as ToolCall, seq);
  return { workflow_id: record.workflow_id, run: runRowValues(record), calls };
}

/**
 * `Object.values(runRow(record))`, built as a list: the object's spreads in the middle of a literal took
 * V8's slow path, 20 µs a run, the largest cost of building a run's rows after parsing its JSON.
 */
function runRowValues(record: IdentifiedWorkflowRecord): unknown[] {
  const values: unknown[] = Object.values(runRequestColumns(record));
  values.push(
    record.status ?? "completed",
    toUtcIso(record.start_time) ?? record.start_time ?? null,
    toUtcIso(record.end_time) ?? record.end_time ?? null,
  );
  for (const value of Object.values(runFigures(record))) values.push(value);
  values.push(
    workflowTimeOf({ start_time: record.start_time, end_time: record.end_time }),
    projectOfRecord(record) ?? null,
  );
  return values;
}

/** {@link insertRuns} of runs whose values are built already ({@link runValuesOf}). */
export async function insertRunValues(
  trx: Kysely<Database>,
  input: readonly RunValues[],
): Promise<InsertRunsResult> {
  // The first of two records with one id wins, as it would across two loads.
  const first = new Map<string, RunValues>();
  for (const run of input) if (!first.has(run.workflow_id)) first.set(run.workflow_id, run);
  const unique = [...first.values()];
  if (unique.length === 0) return { inserted: 0, existing: input.length, toolCalls: 0 };
  const now = new Date().toISOString();
  const fresh = new Set<string>();
  // IN_LIST_SIZE runs per multi-row insert: 20 columns each, well under SQLite's bound-parameter limit.
  for (const chunk of inChunks(unique)) {
    const inserted = await insertNewRunRows(trx, chunk, now);
    for (const workflowId of inserted) fresh.add(workflowId);
  }
  // The calls of runs this call stored: no other call can be stored for them yet, and `uniqueToolCalls`
  // leaves one per tool_use_id, so a plain insert stores each, with no conflict to look for.
  // One `concat` of the runs' lists: a push of each value took a loader of millions of calls over a second.
  const values = ([] as unknown[]).concat(
    ...unique.filter((run) => fresh.has(run.workflow_id)).map((run) => run.calls),
  );
  const toolCalls = await insertValueRows(trx, "workflow_tool_calls", TOOL_CALL_COLUMNS, values, "");
  return { inserted: fresh.size, existing: input.length - fresh.size, toolCalls };
}

/** The `workflow_history` columns {@link insertNewRunRows} binds, in order. */
const NEW_RUN_COLUMNS = [...Object.keys(runRow({ workflow_id: "" })), "created_at", "updated_at"];

/**
 * Stores the runs not stored yet, stamped as created and updated `now`, with multi-row inserts written by
 * hand (Kysely's builder compiled every value of them as a node of its own); returns their ids.
 */
async function insertNewRunRows(
  trx: Kysely<Database>,
  runs: readonly RunValues[],
  now: string,
): Promise<string[]> {
  const values: unknown[] = [];
  for (const run of runs) {
    for (const value of run.run) values.push(value);
    values.push(now, now);
  }
  const ids: string[] = [];
  const engine = engineFor(trx);
  let first = 0;
  for (const size of engine.insertChunkSizes(runs.length)) {
    const width = NEW_RUN_COLUMNS.length;
    const sqlText = engine.multiRowInsertSql(
      "workflow_history",
      NEW_RUN_COLUMNS,
      size,
      "on conflict (workflow_id) do nothing returning workflow_id",
    );
    const chunk = values.slice(first * width, (first + size) * width);
    first += size;
    const { rows } = await trx.executeQuery<{ workflow_id: string }>(CompiledQuery.raw(sqlText, chunk));
    for (const row of rows) ids.push(row.workflow_id);
  }
  return ids;
}

/**
 * Inserts rows given as one flat list of values (`columns.length` a row, in column order) with multi-row
 * inserts ending in `tail`; returns how many rows were stored.
 */
async function insertValueRows(
  trx: Kysely<Database>,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
  tail: string,
): Promise<number> {
  const engine = engineFor(trx);
  const width = columns.length;
  let stored = 0;
  let first = 0;
  for (const size of engine.insertChunkSizes(values.length / width)) {
    const sqlText = engine.multiRowInsertSql(table, columns, size, tail);
    const chunk = values.slice(first * width, (first + size) * width);
    first += size;
    const result = await trx.executeQuery(CompiledQuery.raw(sqlText, chunk));
    stored += Number(result.numAffectedRows ?? 0);
  }
  return stored;
}

/** The `workflow_history` columns a record sets (all but the bookkeeping times). */
export function runRow(record: IdentifiedWorkflowRecord) {
  return {
    ...runRequestColumns(record),
    status: record.status ?? "completed",
    start_time: toUtcIso(record.start_time) ?? record.start_time ?? null,
    end_time: toUtcIso(record.end_time) ?? record.end_time ?? null,
    ...runFigures(record),
    workflow_time: workflowTimeOf({ start_time: record.start_time, end_time: record.end_time }),
    project: projectOfRecord(record) ?? null,
  };
}

/** A run's final figures as reported, by whoever reports them (a loaded record, a run's completion). */
export type RunFigures = Pick<
  IdentifiedWorkflowRecord,
  | "duration_seconds"
  | "error_message"
  | "retry_count"
  | "input_tokens"
  | "output_tokens"
  | "cache_read_tokens"
  | "cache_creation_tokens"
  | "total_tokens"
  | "actual_cost_total"
  | "model_used"
>;

/** The `workflow_history` columns of a run's final figures: null when not reported, no retries by default. */
export function runFigures(figures: RunFigures) {
  return {
    duration_seconds: figures.duration_seconds ?? null,
    error_message: figures.error_message ?? null,
    retry_count: figures.retry_count ?? 0,
    input_tokens: figures.input_tokens ?? null,
    output_tokens: figures.output_tokens ?? null,
    cache_read_tokens: figures.cache_read_tokens ?? null,
    cache_creation_tokens: figures.cache_creation_tokens ?? null,
    total_tokens: figures.total_tokens ?? null,
    actual_cost_total: figures.actual_cost_total ?? null,
    model_used: figures.model_used ?? null,
  };
}

/** Options of {@link appendToolCalls}. */
export interface AppendToolCallsOptions {
  /** The caller's transaction holds the runs' locks already (taken with `lockRuns`). */
  runsLocked?: boolean;
}

/** Tool calls to append to one stored run. */
export interface RunToolCalls {
  workflow_id: string;
  calls: readonly ToolCall[];
}

/**
 * Appends tool calls to stored runs, each run's after the ones it has, with one read of the runs' last
 * positions and multi-row inserts. A call whose `tool_use_id` the run already has is not stored again
 * (delivering the same calls twice stores them once), unless the stored copy has no input and this one does.
 * A run listed twice gets both lists, in order. Returns how many calls were stored or completed.
 *
 * Must run in a transaction: the runs stay locked until it ends, so that appends to one run racing each
 * other (two hooks of a session at once, on one replica or two) take their positions one after the other,
 * in the order they commit, instead of colliding on the same ones. A caller that locked the runs already
 * in this transaction (with `lockRuns`) says so with `runsLocked`, sparing the second lock's round trip.
 */
export async function appendToolCalls(
  trx: Kysely<Database>,
  runs: readonly RunToolCalls[],
  options: AppendToolCallsOptions = {},
): Promise<number> {
  const merged = new Map<string, ToolCall[]>();
  for (const { workflow_id, calls } of runs) {
    if (calls.length === 0) continue;
    const list = merged.get(workflow_id);
    if (list === undefined) merged.set(workflow_id, [...calls]);
    else list.push(...calls);
  }
  if (merged.size === 0) return 0;
  if (options.runsLocked !== true) await lockRuns(trx, [...merged.keys()]);
  const next = await nextPositions(trx, [...merged.keys()]);
  const rows = [...merged].flatMap(([workflowId, calls]) =>
    toolCallRows(workflowId, calls, next.get(workflowId) ?? 0),
  );
  return insertToolCallRows(trx, rows);
}

/** The position after each run's last stored tool call (0 for a run with none), read once the runs are locked. */
async function nextPositions(
  trx: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Map<string, number>> {
  const next = new Map<string, number>();
  for (const chunk of inChunks(workflowIds)) {
    const rows = await trx
      .selectFrom("workflow_tool_calls")
      .select((eb) => ["workflow_id", eb.fn.max("seq").as("seq")])
      .where("workflow_id", "in", chunk)
      .groupBy("workflow_id")
      .execute();
    for (const row of rows) if (row.seq !== null) next.set(row.workflow_id, Number(row.seq) + 1);
  }
  return next;
}

/** The `workflow_tool_calls` rows of a run's calls (one per `tool_use_id`), numbered from `firstSeq`. */
export function toolCallRows(
  workflowId: string,
  calls: readonly ToolCall[],
  firstSeq: number,
): ToolCallRow[] {
  return uniqueToolCalls(calls).map((call, i) => {
    const values: unknown[] = [];
    pushToolCallValues(values, workflowId, call, firstSeq + i);
    return Object.fromEntries(TOOL_CALL_COLUMNS.map((column, at) => [column, values[at]])) as ToolCallRow;
  });
}

/**
 * Appends the values of a call's `workflow_tool_calls` row to `values`, in the order of
 * {@link TOOL_CALL_COLUMNS}: a loader of millions of calls binds them straight from here, without an object
 * per row.
 */
export function pushToolCallValues(values: unknown[], workflowId: string, call: ToolCall, seq: number): void {
  const usage = call.usage;
  values.push(
    workflowId,
    seq,
    call.tool_name,
    call.tool_input === undefined ? null : JSON.stringify(call.tool_input),
    // The command column is derived (tool_input keeps the original); PostgreSQL text cannot hold NUL.
    bashCommandOf(call)?.replaceAll("\u0000", "") ?? null,
    call.success === undefined || call.success === null ? null : call.success ? 1 : 0,
    call.duration_ms ?? null,
    call.timestamp ?? null,
    call.tool_use_id ?? null,
    usage ? Math.round(usage.input_tokens) : null,
    usage ? Math.round(usage.output_tokens) : null,
    usage ? Math.round(usage.cache_read_tokens) : null,
    usage ? Math.round(usage.cache_creation_tokens) : null,
    usage ? usage.cost_usd : null,
    call.error ?? null,
    call.is_interrupt === undefined || call.is_interrupt === null ? null : call.is_interrupt ? 1 : 0,
  );
}

/**
 * A call logged twice keeps its first place; a later, fuller copy fills in an input the first lacked. The
 * same text on both engines (SQLite's upsert takes PostgreSQL's syntax).
 */
const KEEP_FIRST_FILL_INPUT = `on conflict (workflow_id, tool_use_id) do update
  set tool_input = excluded.tool_input, command = excluded.command
  where (workflow_tool_calls.tool_input is null or workflow_tool_calls.tool_input = '{}')
    and excluded.tool_input is not null and excluded.tool_input != '{}'
  returning id`;

/** Inserts tool-call rows; returns how many were stored or completed. */
export async function insertToolCallRows(
  trx: Kysely<Database>,
  rows: readonly ToolCallRow[],
): Promise<number> {
  const engine = engineFor(trx);
  let inserted = 0;
  let first = 0;
  for (const size of engine.insertChunkSizes(rows.length)) {
    const values = rows
      .slice(first, first + size)
      .flatMap((row) => TOOL_CALL_COLUMNS.map((column) => row[column]));
    first += size;
    const sqlText = engine.multiRowInsertSql(
      "workflow_tool_calls",
      TOOL_CALL_COLUMNS,
      size,
      KEEP_FIRST_FILL_INPUT,
    );
    inserted += (await trx.executeQuery(CompiledQuery.raw(sqlText, values))).rows.length;
  }
  return inserted;
}

/**
 * One entry per `tool_use_id`: a call logged twice (a hook delivered again, a pre- and a post-tool event)
 * keeps its first position and its latest content, which is the most complete.
 */
export function uniqueToolCalls(calls: readonly ToolCall[]): ToolCall[] {
  const result: ToolCall[] = [];
  const at = new Map<string, number>();
  for (const call of calls) {
    const id = call.tool_use_id;
    const index = id === null || id === undefined ? undefined : at.get(id);
    if (index !== undefined) result[index] = call;
    else {
      if (id !== null && id !== undefined) at.set(id, result.length);
      result.push(call);
    }
  }
  return result;
}
