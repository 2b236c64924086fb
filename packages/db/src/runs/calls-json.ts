import type { ToolCall, ToolCallUsage } from "@patternloop/core";
import { type RawBuilder, sql } from "kysely";
import type { WorkflowHistory } from "../schema/workflow-history-table.js";
import {
  type CallDetail,
  EDIT_TOOLS,
  parseToolInput,
  type StoredRun,
  successOf,
  toStoredRun,
} from "./stored-run.js";

// A run's tool calls packed by SQLite as one JSON text, for engines that read them so (see
// `Engine.packsCallsAsJson`). Each call is a JSON array, cheaper to write and parse than an object; the
// types below name its fields in order, and each has one reader.

/** A call's usage, when all four token counts are known (null otherwise). */
type PackedUsage = [
  input_tokens: number,
  output_tokens: number,
  cache_read_tokens: number,
  cache_creation_tokens: number,
  cost_usd: number | null,
];

/** A call in `full` detail. `input` is the JSON text of a file edit's input, null for another tool. */
type PackedCall = [
  seq: number,
  tool_name: string,
  command: string | null,
  input: string | null,
  success: number | null,
  tool_use_id: string | null,
  usage: PackedUsage | null,
  duration_ms: number | null,
  timestamp: string | null,
];

/** A Bash call or a file edit in `detection` detail. `file_path` is that of a file edit's input. */
type PackedDetectionCall = [
  seq: number,
  tool_name: string,
  command: string | null,
  file_path: unknown,
  success: number | null,
  tool_use_id: string | null,
  usage: PackedUsage | null,
];

/** Another call in `detection` detail: detection reads no more of it. */
type PackedOtherCall = [seq: number, tool_name: string, success: number | null];

/**
 * A run's calls as one JSON array of {@link PackedCall} (in `detection` detail, of
 * {@link PackedDetectionCall} and {@link PackedOtherCall}), for a query on `workflow_history h`. The calls
 * are gathered in `seq` order through the (workflow_id, seq) index, which `group_concat` keeps in practice
 * (`json_group_array` would quote the JSON of a subquery's column as a string); each carries its `seq`, and
 * {@link unpackRun} sorts a run whose calls came out of order. SQLite writes numbers exactly (shortest
 * round-trip form).
 *
 * In `detection` detail a file edit's `file_path` is read by SQLite, from inputs that are valid JSON as
 * `JSON.parse` reads it (`json_valid`: no JSON5), which every writer stores (`JSON.stringify`).
 */
export function packedCalls(detail: CallDetail): RawBuilder<string> {
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

/** A run's row with its calls as {@link packedCalls} gives them. */
export type PackedRun = WorkflowHistory & { tool_calls_json: string };

/** The run of a {@link PackedRun}, its calls read in `detail`. */
export function unpackRun(run: PackedRun, detail: CallDetail): StoredRun {
  const calls = JSON.parse(run.tool_calls_json) as (PackedCall | PackedDetectionCall | PackedOtherCall)[];
  if (calls.some((call, i) => i > 0 && seqOf(calls[i - 1] as PackedOtherCall) >= seqOf(call)))
    calls.sort((a, b) => seqOf(a) - seqOf(b));
  return toStoredRun(
    run,
    detail === "full"
      ? (calls as PackedCall[]).map(readCall)
      : (calls as (PackedDetectionCall | PackedOtherCall)[]).map(readDetectionCall),
  );
}

function seqOf([seq]: PackedOtherCall | PackedDetectionCall | PackedCall): number {
  return seq;
}

/** A call in `full` detail, as the plain read gives it. */
function readCall([
  ,
  tool_name,
  command,
  input,
  success,
  tool_use_id,
  usage,
  duration_ms,
  timestamp,
]: PackedCall): ToolCall {
  return {
    tool_name,
    tool_input: parseToolInput(input, command),
    success: successOf(success),
    duration_ms: duration_ms ?? null,
    timestamp: timestamp ?? null,
    tool_use_id,
    usage: readUsage(usage),
  };
}

/** The input of a call whose input is not read. */
const NO_INPUT = Object.freeze({});

/** A call in `detection` detail: a file edit's input is its `file_path`. */
function readDetectionCall(call: PackedDetectionCall | PackedOtherCall): ToolCall {
  if (call.length === 3) {
    const [, tool_name, success] = call;
    return { tool_name, tool_input: NO_INPUT, success: successOf(success) };
  }
  const [, tool_name, command, file_path, success, tool_use_id, usage] = call;
  return {
    tool_name,
    tool_input: file_path !== null ? { file_path } : parseToolInput(null, command),
    success: successOf(success),
    tool_use_id,
    usage: readUsage(usage),
  };
}

function readUsage(usage: PackedUsage | null): ToolCallUsage | null {
  if (usage === null) return null;
  const [input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd] = usage;
  return { input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd };
}
