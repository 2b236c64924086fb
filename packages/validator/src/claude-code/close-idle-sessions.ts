import { escapeLogText } from "@patternloop/core";
import {
  idleSessions,
  type OpenSession,
  openSessions,
  type PatternloopDatabase,
  releaseSessionRun,
} from "@patternloop/db";
import { completeRuns } from "../loop/complete-runs.js";
import type { CompleteRunsOptions } from "../loop/completion-types.js";
import { endingOfRuns } from "./receive-hook.js";

/** A session's run closed because the session went quiet. */
export interface IdleClosure {
  session_id: string;
  workflow_id: string;
  /** The session's last event, which becomes the run's end time. */
  last_event_at: string;
  /** False when the run had been closed already (by another replica, or a late `Stop`): nothing changed. */
  recorded: boolean;
}

/** What a round of closing did: the runs closed, and those whose completion failed (left for the next round). */
export interface IdleClosures {
  closed: IdleClosure[];
  failed: { session_id: string; workflow_id: string; message: string }[];
}

export type CloseIdleOptions = Pick<
  CompleteRunsOptions,
  "detector" | "predictor" | "candidateThresholds" | "log" | "logError"
>;

/** How many sessions are closed in one transaction. */
const PAGE = 100;

/**
 * Closes the open run of every Claude Code session whose last event was received before `before`: a session
 * that went quiet without a `Stop` (the hook not installed, the terminal closed, the event lost) would
 * otherwise keep its run `running` forever, out of detection and backfill. Each run is completed like any
 * other (status `completed`, its patterns detected and recorded, its predictions validated) with the
 * session's last event as its end time, and the session's pointer is cleared, so that a later event of the
 * session opens a new run. Closing is idempotent: two replicas closing the same session at once record it
 * once.
 */
export async function closeIdleSessions(
  database: PatternloopDatabase,
  before: Date,
  options: CloseIdleOptions = {},
): Promise<IdleClosures> {
  const result: IdleClosures = { closed: [], failed: [] };
  const tried = new Set<string>();
  for (;;) {
    const page = (await idleSessions(database.db, before.toISOString(), PAGE)).filter(
      (session) => !tried.has(session.open_workflow_id),
    );
    if (page.length === 0) return result;
    for (const session of page) tried.add(session.open_workflow_id);
    const closed = await closeRuns(database, page, options);
    result.closed.push(...closed.closed);
    result.failed.push(...closed.failed);
  }
}

/**
 * Closes the open run of each of these sessions, whatever the time of its last event, as
 * {@link closeIdleSessions} does: for a replayed log, where a session with no later event is quiet by the log's
 * own order.
 */
export async function closeSessionRuns(
  database: PatternloopDatabase,
  sessionIds: readonly string[],
  options: CloseIdleOptions = {},
): Promise<IdleClosures> {
  return closeRuns(database, await openSessions(database.db, sessionIds), options);
}

async function closeRuns(
  database: PatternloopDatabase,
  sessions: readonly OpenSession[],
  options: CloseIdleOptions,
): Promise<IdleClosures> {
  const result: IdleClosures = { closed: [], failed: [] };
  if (sessions.length === 0) return result;
  // Completed first, released after: a crash in between leaves the pointer on a finished run, which the next
  // round releases, rather than a running run nothing points at any more.
  const endings = await endingOfRuns(
    database,
    sessions.map((session) => session.open_workflow_id),
  );
  const outcomes = await completeRuns(
    database,
    sessions.map((session) => ({
      workflowId: session.open_workflow_id,
      completion: {
        ...(endings.get(session.open_workflow_id) ?? { status: "completed" }),
        end_time: session.updated_at,
      },
    })),
    options,
  );
  const log = options.log ?? console.log;
  for (const [i, session] of sessions.entries()) {
    const outcome = outcomes[i];
    const workflowId = session.open_workflow_id;
    // Any answer but a failure clears the pointer: a run ended by someone else (failed through the API), or
    // gone, leaves nothing else to do.
    if (outcome === undefined || outcome.outcome === "failed") {
      const message = outcome === undefined ? "not completed" : outcome.error.message;
      result.failed.push({ session_id: session.session_id, workflow_id: workflowId, message });
      continue;
    }
    await releaseSessionRun(database.db, session.session_id, workflowId);
    const recorded = outcome.outcome === "completed" && outcome.result.recorded;
    const status = outcome.outcome === "completed" ? outcome.result.status : "completed";
    // Kept out of error_message, which would count every pattern of the run as having met an error: a session
    // that goes quiet is how most sessions end. The log says it.
    if (recorded)
      log(
        `[validator] workflow ${escapeLogText(workflowId)}: closed as ${status}, session ${escapeLogText(session.session_id)} quiet since ${session.updated_at}`,
      );
    result.closed.push({
      session_id: session.session_id,
      workflow_id: workflowId,
      last_event_at: session.updated_at,
      recorded,
    });
  }
  return result;
}
