import type { PatternloopDatabase } from "@patternloop/db";
import type { HookOutcome } from "@patternloop/validator";
import { PatternloopIngestError } from "../ingest-error.js";
import type { HookLog } from "./read-hook-log.js";

/** What {@link ingestHookLog} did with a log. */
export interface IngestHooksSummary {
  lines: number;
  sessions: number;
  /** Payloads by what the receiver did with them: started, tool_call, completed, ignored, duplicate. */
  events: Record<HookOutcome["action"], number>;
  /** Runs started (a prompt, or tool calls of a session whose prompt the log does not have). */
  runs: number;
  tool_calls: number;
  /** Runs closed because the log has no later event of their session (none with `leaveOpen`). */
  closed_idle: number;
  malformed: number;
}

export interface IngestHookLogOptions {
  /** Leaves running the runs of sessions still open at the end of the log (a log still being written). */
  leaveOpen?: boolean;
  /** Where the validation loop writes its lines (one per run validated); silent by default. */
  log?: (line: string) => void;
}

/**
 * Replays a hook log read by `readHookLog` through the receiver the API uses, each session's payloads in the
 * log's order: each is kept as the server keeps what it receives, under the event id the server gives the
 * same payloads arriving in that order (so the log gives the same runs either way), then applied. Replaying
 * the same log again stores nothing new.
 *
 * Payloads carry no time, so a session goes quiet by the log's own order: once its last payload is replayed,
 * a run it still has open (no `Stop` or `SessionEnd` came) is closed as the server closes a session idle for
 * its idle time, completed and validated like any run. `leaveOpen` leaves such runs running, for a log of
 * sessions still going on.
 *
 * ```ts
 * const log = await readHookLog("hooks.jsonl");
 * const summary = await ingestHookLog(database, log);
 * console.log(`${summary.runs} runs started`);
 * ```
 */
export async function ingestHookLog(
  database: PatternloopDatabase,
  hookLog: HookLog,
  options: IngestHookLogOptions = {},
): Promise<IngestHooksSummary> {
  const log = options.log ?? (() => {});
  const summary: IngestHooksSummary = {
    lines: hookLog.lines,
    sessions: hookLog.sessions.filter((session) => session.session_id !== "").length,
    events: { started: 0, tool_call: 0, completed: 0, ignored: 0, duplicate: 0 },
    runs: 0,
    tool_calls: 0,
    closed_idle: 0,
    malformed: hookLog.malformed,
  };
  // Loaded here, not with the package: the other ingestions (transcripts, workflow records) never need the
  // validation loop, and a command starts faster without it.
  const { acceptClaudeCodeHook, closeSessionRuns, hookEventIdsOf, processHookEvents, trainPredictor } =
    await import("@patternloop/validator");
  const predictor = await trainPredictor(database.db);
  const count = (outcome: HookOutcome) => {
    summary.events[outcome.action]++;
    if (outcome.action === "tool_call") summary.tool_calls++;
    if (outcome.action === "started" || outcome.opened_run) summary.runs++;
  };
  for (const { session_id, hooks } of hookLog.sessions) {
    const eventIds = hookEventIdsOf(hooks.map((hook) => hook.payload));
    for (const [i, hook] of hooks.entries()) {
      const accepted = await acceptClaudeCodeHook(database, hook.payload, {
        deliveryKey: hook.deliveryKey,
        eventId: eventIds[i],
        formerPayload: hook.logged,
      });
      if (accepted.accepted === "duplicate") count({ action: "duplicate" });
      if (accepted.accepted === "ignored") count({ action: "ignored", reason: accepted.reason });
    }
    await processHookEvents(database, { predictor, log, onProcessed: (_, outcome) => count(outcome) });
    if (options.leaveOpen || session_id === "") continue;
    const { closed, failed } = await closeSessionRuns(database, [session_id], { predictor, log });
    summary.closed_idle += closed.filter((closure) => closure.recorded).length;
    const failure = failed[0];
    if (failure !== undefined)
      throw new PatternloopIngestError(
        "close_failed",
        `closing run ${failure.workflow_id} failed: ${failure.message}`,
      );
  }
  return summary;
}
