import type { IdentifiedWorkflowRecord, ToolCall, ToolCallUsage } from "@patternloop/core";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";
import type { WorkflowToolCall } from "../schema/workflow-tool-calls-table.js";

/**
 * A stored run in the record shape detection reads, with its tool calls in order. A tool call carries the
 * command of a Bash call and the input of a file edit; other tool inputs are left out.
 */
export type StoredRun = IdentifiedWorkflowRecord & {
  created_at: string | null;
  workflow_time: string | null;
};

/** Loads runs and their tool calls by `workflow_id`, in the order given. Unknown ids are left out. */
export function loadRuns(db: Kysely<Database>, workflowIds: readonly string[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "workflow_id", workflowIds, "full");
}

/** Loads runs and their tool calls by row id (`workflow_history.id`), in the order given. */
export function loadRunsByRowIds(db: Kysely<Database>, ids: readonly number[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "id", ids, "full");
}

/**
 * {@link loadRunsByRowIds} for the default detector and the statistics (`occurrencesOfRun`): see
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

/** A stored run and its row id (`workflow_history.id`). */
export interface QueuedRun {
  id: number;
  run: StoredRun;
}

/**
 * The runs of some row ids with their ids, in the order given (unknown ids are left out), for a backfill.
 * In `full` detail the runs are those of {@link loadRunsByRowIds}. In `detection` detail they carry what the
 * default detector and the statistics (`occurrencesOfRun`) read of a tool call: of every call its name and
 * success; of a Bash call or a file edit also its `tool_use_id` and usage, and the command of a Bash call
 * and the `file_path` of a file edit. On SQLite that is all a call carries (a file edit's input is
 * `{ file_path }`, another call's input `{}`; `duration_ms` and `timestamp` are left out), and each run's
 * calls are decoded only when iteration reaches it, so that they are garbage once that run is handled
 * instead of living as long as the whole batch; elsewhere the runs are those of `full` detail.
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
      // See readRunsWithCalls: read the plain way.
    }
  }
  const byId = new Map(
    (await readRunsThenCalls(db, "id", ids)).map(({ run, calls }) => [run.id, toRecord(run, calls)]),
  );
  return ids.flatMap((id) => {
    const run = byId.get(id);
    return run === undefined ? [] : [{ id, run }];
  });
}

/**
 * SQLite: the statement of {@link loadQueuedRuns}, the runs of the row ids (given as one JSON array, so that
 * the statement is the same whatever their number) and their calls as {@link readRunsWithCalls} reads them,
 * in the order of the ids: SQLite walks the array and looks each run up (`cross join` keeps the array as the
 * outer loop). {@link decodeQueuedRuns} checks that order.
 */
export function queuedRunsQuery(ids: readonly number[], detail: CallDetail): RawBuilder<EncodedRun> {
  return sql<EncodedRun>`
    select h.*, ${callsJson(detail)} as tool_calls_json
    from json_each(${JSON.stringify(ids)}) as q cross join workflow_history as h
    where h.id = q.value`;
}

/**
 * The runs of {@link queuedRunsQuery}'s rows, decoded one by one as iteration reaches them. Throws
 * {@link QueueOrderError} on a row that comes before one it follows in `ids`.
 */
export function* decodeQueuedRuns(
  rows: Iterable<EncodedRun>,
  ids: readonly number[],
  detail: CallDetail,
): Generator<QueuedRun> {
  let at = 0;
  for (const row of rows) {
    while (at < ids.length && ids[at] !== row.id) at++;
    if (at === ids.length) throw new QueueOrderError();
    at++;
    yield { id: row.id, run: decodeRun(row, detail) };
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
function inQueueOrder(rows: EncodedRun[], ids: readonly number[]): EncodedRun[] {
  const position = new Map(ids.map((id, index) => [id, index]));
  const ordered = rows.every(
    (row, i) =>
      i === 0 || (position.get((rows[i - 1] as EncodedRun).id) ?? -1) < (position.get(row.id) ?? -1),
  );
  return ordered ? rows : rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

/** Which fields of a tool call are loaded: all, or only those detection and statistics read. */
export type CallDetail = "full" | "detection";

async function loadRunsWhere<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
  detail: CallDetail,
): Promise<StoredRun[]> {
  if (values.length === 0) return [];
  const encoded = engineFor(db).packsCallsAsJson
    ? await readRunsWithCalls(db, key, values, detail)
    : undefined;
  const byKey = new Map<unknown, StoredRun>(
    encoded?.map((row) => [row[key], decodeRun(row, detail)]) ??
      (await readRunsThenCalls(db, key, values)).map(({ run, calls }) => [run[key], toRecord(run, calls)]),
  );
  return values.flatMap((value) => byKey.get(value) ?? []);
}

// Only what detection and statistics read of a tool call: the command of a Bash call, the input of file edits
// (for the paths they touch). Other inputs (file contents, long edit strings) are neither sent nor parsed.
const EDIT_TOOLS = sql.join(["Edit", "Write", "MultiEdit", "NotebookEdit"].map((name) => sql.lit(name)));

/**
 * A tool call as {@link readRunsWithCalls} encodes it. `input` is the input of a file edit: its JSON text in
 * `full` detail, the JSON value of its `file_path` in `detection` detail (what detection reads of it).
 * `usage` is null unless all four token counts are known, as {@link usageOf} reads them; `duration_ms` and
 * `timestamp` are there in `full` detail only.
 */
type EncodedCall = [
  seq: number,
  tool_name: string,
  command: string | null,
  input: unknown,
  success: number | null,
  tool_use_id: string | null,
  usage: [number, number, number, number, number | null] | null,
  duration_ms?: number | null,
  timestamp?: string | null,
];

/**
 * SQLite: the runs and their tool calls in one query, each run's calls as one JSON array. better-sqlite3
 * builds a JavaScript object per row and a string per text value, which made reading ~22 call rows per run
 * the largest cost of a backfill; one JSON text per run is several times cheaper, and SQLite writes numbers
 * exactly (shortest round-trip form). The calls are gathered in `seq` order through the (workflow_id, seq)
 * index, which `group_concat` keeps in practice (`json_group_array` would quote the JSON of a subquery's
 * column as a string); each carries its `seq`, and a run whose calls came out of order is sorted.
 *
 * In `detection` detail a file edit's `file_path` is read by SQLite, from inputs that are valid JSON as
 * `JSON.parse` reads it (`json_valid`: no JSON5), which every writer stores (`JSON.stringify`). Undefined when
 * the query fails (a BLOB where text is expected, which JSON cannot hold): the caller then reads the plain way.
 */
async function readRunsWithCalls<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
  detail: CallDetail,
): Promise<EncodedRun[] | undefined> {
  try {
    return (
      await sql<EncodedRun>`
        select h.*, ${callsJson(detail)} as tool_calls_json
        from workflow_history h where ${sql.ref(`h.${key}`)} in (${sql.join(values)})`.execute(db)
    ).rows;
  } catch {
    return undefined;
  }
}

/**
 * A run's calls as {@link readRunsWithCalls} reads them: one JSON array of {@link EncodedCall} (in
 * `detection` detail, of {@link EncodedOtherCall} for a call that is neither a Bash call nor a file edit).
 */
function callsJson(detail: CallDetail): RawBuilder<string> {
  return sql<string>`(
    select coalesce('[' || group_concat(call, ',') || ']', '[]') from (
      select ${
        detail === "detection"
          ? sql`case when c.tool_name <> 'Bash' and c.tool_name not in (${EDIT_TOOLS})
              then json_array(c.seq, c.tool_name, c.success) else `
          : sql``
      } json_array(
        c.seq, c.tool_name, c.command,
        ${
          detail === "full"
            ? sql`case when c.tool_name in (${EDIT_TOOLS}) then c.tool_input end`
            : sql`case when c.tool_name in (${EDIT_TOOLS}) and json_valid(c.tool_input) then c.tool_input -> '$.file_path' end`
        },
        c.success, c.tool_use_id,
        case
          when c.input_tokens is not null and c.output_tokens is not null
            and c.cache_read_tokens is not null and c.cache_creation_tokens is not null
          then json_array(c.input_tokens, c.output_tokens, c.cache_read_tokens, c.cache_creation_tokens, c.cost_usd)
        end
        ${detail === "full" ? sql`, c.duration_ms, c.timestamp` : sql``}
      ) ${detail === "detection" ? sql`end` : sql``} as call
      from workflow_tool_calls c where c.workflow_id = h.workflow_id order by c.seq
    )
  )`;
}

/** A run as {@link readRunsWithCalls} reads it: its row and its calls' JSON. */
export type EncodedRun = WorkflowHistory & { tool_calls_json: string };

function decodeRun(run: EncodedRun, detail: CallDetail): StoredRun {
  const calls = JSON.parse(run.tool_calls_json) as EncodedCall[];
  if (calls.some((call, i) => i > 0 && (calls[i - 1] as EncodedCall)[0] >= call[0]))
    calls.sort((a, b) => a[0] - b[0]);
  return toRecord(run, calls.map(detail === "full" ? decodeFullCall : decodeDetectionCall));
}

function decodeUsage(usage: EncodedCall[6]): ToolCallUsage | null {
  if (usage === null) return null;
  return {
    input_tokens: usage[0],
    output_tokens: usage[1],
    cache_read_tokens: usage[2],
    cache_creation_tokens: usage[3],
    cost_usd: usage[4],
  };
}

/** A call in `full` detail, as {@link toToolCall} gives it. */
function decodeFullCall(call: EncodedCall): ToolCall {
  return {
    tool_name: call[1],
    tool_input: parseToolInput(call[3] as string | null, call[2]),
    success: call[4] === null ? null : call[4] === 1,
    duration_ms: call[7] ?? null,
    timestamp: call[8] ?? null,
    tool_use_id: call[5],
    usage: decodeUsage(call[6]),
  };
}

/** In `detection` detail, a call that is neither a Bash call nor a file edit: detection reads no more of it. */
type EncodedOtherCall = [seq: number, tool_name: string, success: number | null];

/** The input of a call whose input is not read. */
const NO_INPUT = Object.freeze({});

/** A call in `detection` detail: a file edit's input is its `file_path`. */
function decodeDetectionCall(call: EncodedCall | EncodedOtherCall): ToolCall {
  if (call.length === 3)
    return { tool_name: call[1], tool_input: NO_INPUT, success: call[2] === null ? null : call[2] === 1 };
  return {
    tool_name: call[1],
    tool_input: call[3] !== null ? { file_path: call[3] } : parseToolInput(null, call[2]),
    success: call[4] === null ? null : call[4] === 1,
    tool_use_id: call[5],
    usage: decodeUsage(call[6]),
  };
}

/** The runs, then their tool calls, in two queries. */
async function readRunsThenCalls<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
): Promise<{ run: WorkflowHistory; calls: ToolCall[] }[]> {
  const runs = await db
    .selectFrom("workflow_history")
    .selectAll()
    .where(key, "in", values as never[])
    .execute();
  const calls = await db
    .selectFrom("workflow_tool_calls")
    .select([
      "workflow_id",
      "tool_name",
      "command",
      "success",
      "duration_ms",
      "timestamp",
      "tool_use_id",
      "input_tokens",
      "output_tokens",
      "cache_read_tokens",
      "cache_creation_tokens",
      "cost_usd",
      sql<string | null>`case when tool_name in (${EDIT_TOOLS}) then tool_input end`.as("tool_input"),
    ])
    .where(
      "workflow_id",
      "in",
      runs.map((run) => run.workflow_id),
    )
    .orderBy("workflow_id")
    .orderBy("seq")
    .execute();
  const callsByRun = new Map<string, ToolCall[]>();
  for (const call of calls) {
    let list = callsByRun.get(call.workflow_id);
    if (list === undefined) {
      list = [];
      callsByRun.set(call.workflow_id, list);
    }
    list.push(toToolCall(call));
  }
  return runs.map((run) => ({ run, calls: callsByRun.get(run.workflow_id) ?? [] }));
}

type LoadedCall = Omit<WorkflowToolCall, "id" | "workflow_id" | "seq">;

function toToolCall(call: LoadedCall): ToolCall {
  return {
    tool_name: call.tool_name,
    tool_input: parseToolInput(call.tool_input, call.command),
    success: call.success === null ? null : call.success === 1,
    duration_ms: call.duration_ms,
    timestamp: call.timestamp,
    tool_use_id: call.tool_use_id,
    usage: usageOf(call),
  };
}

function toRecord(run: WorkflowHistory, toolCalls: ToolCall[]): StoredRun {
  return {
    workflow_id: run.workflow_id,
    adw_id: run.adw_id,
    nl_input: run.nl_input,
    workflow_template: run.workflow_template,
    status: run.status,
    start_time: run.start_time,
    end_time: run.end_time,
    duration_seconds: run.duration_seconds,
    error_message: run.error_message,
    retry_count: run.retry_count,
    input_tokens: run.input_tokens,
    output_tokens: run.output_tokens,
    cache_read_tokens: run.cache_read_tokens,
    cache_creation_tokens: run.cache_creation_tokens,
    total_tokens: run.total_tokens,
    actual_cost_total: run.actual_cost_total,
    model_used: run.model_used,
    created_at: run.created_at,
    workflow_time: run.workflow_time,
    tool_calls: toolCalls,
  };
}

function parseToolInput(json: string | null, command: string | null): unknown {
  if (json !== null) {
    try {
      return JSON.parse(json);
    } catch {
      // A hand-edited row: fall back to the command column.
    }
  }
  return command === null ? {} : { command };
}

function usageOf(
  call: Pick<
    WorkflowToolCall,
    "input_tokens" | "output_tokens" | "cache_read_tokens" | "cache_creation_tokens" | "cost_usd"
  >,
): ToolCallUsage | null {
  if (
    call.input_tokens === null ||
    call.output_tokens === null ||
    call.cache_read_tokens === null ||
    call.cache_creation_tokens === null
  )
    return null;
  return {
    input_tokens: call.input_tokens,
    output_tokens: call.output_tokens,
    cache_read_tokens: call.cache_read_tokens,
    cache_creation_tokens: call.cache_creation_tokens,
    cost_usd: call.cost_usd,
  };
}
