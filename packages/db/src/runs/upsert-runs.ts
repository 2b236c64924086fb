import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import { forgetRunPatterns } from "../patterns/forget-run-patterns.js";
import type { Database } from "../schema/database.js";
import { insertRuns, insertToolCallRows, runRow, toolCallRows } from "./insert-runs.js";
import { TOOL_CALL_COLUMNS, type ToolCallRow } from "./tool-call-columns.js";

export interface UpsertRunsResult {
  /** Runs not stored before. */
  inserted: number;
  /** Stored runs whose content changed: replaced, tool calls included. */
  updated: number;
  /** Stored runs with the same content: left as they are. */
  unchanged: number;
  /** Tool calls stored, of the inserted and updated runs. */
  toolCalls: number;
  /** Updated runs whose patterns had been recorded: taken back, for the next backfill to detect again. */
  reprocess: number;
}

/**
 * Stores runs read from a source that can change, such as a transcript still being written, in the caller's
 * transaction: a new run is inserted; a stored run whose content (figures, status, tool calls) differs is
 * replaced, and if its patterns were already recorded they are taken back (see {@link forgetRunPatterns}) so
 * that the next backfill records them as they are now; a run stored with the same content is left alone.
 * Storing the same runs twice is the same as once. The first of two records with one id wins.
 */
export async function upsertRuns(
  trx: Kysely<Database>,
  input: readonly IdentifiedWorkflowRecord[],
): Promise<UpsertRunsResult> {
  const first = new Map<string, IdentifiedWorkflowRecord>();
  for (const record of input) if (!first.has(record.workflow_id)) first.set(record.workflow_id, record);
  const stored = await readStoredRuns(trx, [...first.keys()]);
  const fresh: IdentifiedWorkflowRecord[] = [];
  const changed: IdentifiedWorkflowRecord[] = [];
  const processed: string[] = [];
  for (const record of first.values()) {
    const before = stored.get(record.workflow_id);
    if (before === undefined) fresh.push(record);
    else if (!sameRun(before, record)) {
      changed.push(record);
      if (before.processed) processed.push(record.workflow_id);
    }
  }
  const inserted = await insertRuns(trx, fresh);
  const now = new Date().toISOString();
  const calls: ToolCallRow[] = [];
  for (const record of changed) {
    await trx
      .updateTable("workflow_history")
      .set({ ...runRow(record), updated_at: now })
      .where("workflow_id", "=", record.workflow_id)
      .execute();
    calls.push(...toolCallRows(record.workflow_id, record.tool_calls ?? [], 0));
  }
  for (const chunk of inChunks(changed)) {
    const ids = chunk.map((record) => record.workflow_id);
    await trx.deleteFrom("workflow_tool_calls").where("workflow_id", "in", ids).execute();
  }
  const replacedCalls = await insertToolCallRows(trx, calls);
  await forgetRunPatterns(trx, processed);
  return {
    inserted: inserted.inserted,
    updated: changed.length,
    unchanged: first.size - fresh.length - changed.length,
    toolCalls: inserted.toolCalls + replacedCalls,
    reprocess: processed.length,
  };
}

/** A stored run as far as {@link sameRun} compares it. */
interface StoredContent {
  row: Record<string, unknown>;
  calls: Record<string, unknown>[];
  processed: boolean;
}

async function readStoredRuns(
  trx: Kysely<Database>,
  workflowIds: readonly string[],
): Promise<Map<string, StoredContent>> {
  const found = new Map<string, StoredContent>();
  for (const ids of inChunks(workflowIds)) {
    const rows = await trx
      .selectFrom("workflow_history")
      .selectAll()
      .where("workflow_id", "in", ids)
      .execute();
    for (const row of rows)
      found.set(row.workflow_id, { row, calls: [], processed: row.patterns_processed_at !== null });
    const calls = await trx
      .selectFrom("workflow_tool_calls")
      .select(TOOL_CALL_COLUMNS)
      .where("workflow_id", "in", ids)
      .orderBy("workflow_id")
      .orderBy("seq")
      .execute();
    for (const call of calls) found.get(call.workflow_id)?.calls.push(call);
  }
  return found;
}

/** Whether a stored run holds exactly what storing `record` would write (bookkeeping times aside). */
function sameRun(stored: StoredContent, record: IdentifiedWorkflowRecord): boolean {
  const row = runRow(record);
  for (const [column, value] of Object.entries(row)) if (stored.row[column] !== value) return false;
  const calls = toolCallRows(record.workflow_id, record.tool_calls ?? [], 0);
  if (calls.length !== stored.calls.length) return false;
  return calls.every((call, i) =>
    TOOL_CALL_COLUMNS.every((column) => stored.calls[i]?.[column] === call[column]),
  );
}
