import { type Detector, occurrencesOfRun, toUtcIso } from "@patternloop/core";
import {
  appendToolCalls,
  type Database,
  loadRuns,
  lockRuns,
  type RunEnd,
  recordOccurrences,
  recordRunEnds,
  runFigures,
  type StoredRun,
  type WorkflowStatus,
} from "@patternloop/db";
import type { Kysely } from "kysely";
import type { CompletionOutcome, CompletionRequest, RunCompletion } from "./completion-types.js";

/** A completion its run cannot take: the run is unknown, or it already ended the other way. */
export type RefusedEnd = Extract<CompletionOutcome, { outcome: "unknown_run" | "already_finished" }>;

/** A completion whose end is stored (now, or by an earlier delivery), with what its run did. */
export interface RecordedEnd {
  outcome: "recorded";
  /** False when the end had been recorded before. */
  recorded: boolean;
  stored: StoredRun | undefined;
  /** The signatures of the patterns detected in the run. */
  actual: string[];
}

/**
 * Locks the runs, stores the ends not recorded yet with their tool calls, and detects and records their
 * patterns, in the caller's transaction; each run appears once in `requests`. Locking first makes two
 * replicas receiving one completion at once finish one after the other, the second seeing the run already
 * ended.
 */
export async function recordEnds(
  trx: Kysely<Database>,
  requests: readonly CompletionRequest[],
  detect: Detector,
): Promise<(RefusedEnd | RecordedEnd)[]> {
  const ids = requests.map((request) => request.workflowId);
  const statusOf = await lockRuns(trx, ids);

  const now = new Date().toISOString();
  const fresh: CompletionRequest[] = [];
  const refused = new Map<string, RefusedEnd>();
  for (const { workflowId, completion } of requests) {
    const status = statusOf.get(workflowId);
    const refusal = refusalOf(workflowId, status, completion.status);
    if (refusal !== undefined) refused.set(workflowId, refusal);
    else if (!isFinished(status)) fresh.push({ workflowId, completion });
  }
  await recordRunEnds(
    trx,
    fresh.map(({ workflowId, completion }) => ({ workflowId, end: endColumns(completion, now) })),
  );
  await appendToolCalls(
    trx,
    fresh.map(({ workflowId, completion }) => ({
      workflow_id: workflowId,
      calls: completion.tool_calls ?? [],
    })),
    { runsLocked: true },
  );
  const stored = new Map(
    (
      await loadRuns(
        trx,
        ids.filter((id) => !refused.has(id)),
      )
    ).map((run) => [run.workflow_id, run]),
  );
  const freshIds = new Set(fresh.map((request) => request.workflowId));
  const occurrences = [];
  const ends: (RefusedEnd | RecordedEnd)[] = [];
  for (const id of ids) {
    const refusal = refused.get(id);
    if (refusal !== undefined) {
      ends.push(refusal);
      continue;
    }
    const run = stored.get(id);
    const patterns = run === undefined ? [] : detect(run);
    if (freshIds.has(id) && run !== undefined)
      occurrences.push({ workflow_id: id, occurrences: occurrencesOfRun(run, patterns) });
    ends.push({
      outcome: "recorded",
      recorded: freshIds.has(id),
      stored: run,
      actual: patterns.map((pattern) => pattern.signature as string),
    });
  }
  if (occurrences.length > 0) await recordOccurrences(trx, occurrences);
  return ends;
}

function isFinished(status: WorkflowStatus | undefined): status is "completed" | "failed" {
  return status === "completed" || status === "failed";
}

/** Why a run cannot take this end, if it cannot: it is unknown, or it already ended otherwise. */
function refusalOf(
  workflowId: string,
  status: WorkflowStatus | undefined,
  reported: RunCompletion["status"],
): RefusedEnd | undefined {
  if (status === undefined)
    return {
      outcome: "unknown_run",
      workflowId,
      message: `no run ${JSON.stringify(workflowId)}: register it with a run start first`,
    };
  if (isFinished(status) && status !== reported)
    return {
      outcome: "already_finished",
      workflowId,
      status,
      message: `run ${JSON.stringify(workflowId)} already ended as ${status}`,
    };
  return undefined;
}

/** The `workflow_history` columns a completion sets. */
function endColumns(completion: RunCompletion, now: string): RunEnd {
  return {
    status: completion.status,
    end_time: toUtcIso(completion.end_time) ?? now,
    ...runFigures(completion),
    updated_at: now,
    patterns_processed_at: now,
  };
}
