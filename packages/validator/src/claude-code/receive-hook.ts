import {
  claudeCodeHookSchema,
  slashCommandOf,
  stopFailureOf,
  type ToolCall,
  toolCallOfHook,
} from "@patternloop/core";
import {
  appendToolCalls,
  type HookDelivery,
  insertStartedRun,
  interruptedRuns,
  isHookDelivered,
  lockSession,
  openRunOfSession,
  type PatternloopDatabase,
  pointSession,
  recordHookDelivery,
  releaseSessionRun,
  touchSession,
} from "@patternloop/db";
import { completeRuns } from "../loop/complete-runs.js";
import type { CompleteRunsOptions, RunCompletion } from "../loop/completion-types.js";
import { startRun } from "../loop/start-run.js";
import type { Predictor } from "../predictor/learned-predictor.js";
import { PatternloopValidatorError } from "../validator-error.js";
import { hookDigest } from "./hook-digest.js";
import { formerDigestsOf } from "./hook-event-id.js";

/** What a hook payload did. */
export interface HookOutcome {
  action: "started" | "tool_call" | "completed" | "ignored" | "duplicate";
  workflow_id?: string;
  /** Why it was ignored. */
  reason?: string;
  /** A tool call of a session with no run open opened one (hooks installed mid-session). */
  opened_run?: true;
}

export interface ReceiveHookOptions
  extends Pick<CompleteRunsOptions, "log" | "logError" | "candidateThresholds"> {
  predictor: Predictor;
  /**
   * The event's identity (see `hookEventId`), which names the run it starts; by default the payload's
   * digest, that of the first payload of its session with this content.
   */
  eventId?: string;
  /** The `Patternloop-Delivery-Key` it came with, under which earlier versions may have remembered it. */
  deliveryKey?: string;
}

/**
 * Maps one Claude Code hook event onto runs (§7): `UserPromptSubmit` starts a run for the prompt (with
 * predictions) and ends the session's previous one, `PostToolUse` / `PostToolUseFailure` add a tool call to
 * the session's open run (opening one if hooks began mid-session), `Stop` and `SessionEnd` end it, and
 * `StopFailure` (the turn ended on an API error) ends it as failed, with the error. A run that has a tool
 * call the user interrupted ends as failed too (see {@link endingOfRuns}). Other events are ignored. An
 * event applied before (the same event id) changes nothing; every effect is idempotent besides, so two
 * copies racing each other still count once. Hooks of one session racing each other, on one replica or
 * several, take turns on the session: none is lost and no session gets two runs for one. The server calls it
 * after answering, through `processHookEvents`, on the events `acceptClaudeCodeHook` kept.
 */
export async function receiveClaudeCodeHook(
  database: PatternloopDatabase,
  payload: unknown,
  options: ReceiveHookOptions,
): Promise<HookOutcome> {
  const parsed = claudeCodeHookSchema.safeParse(payload);
  if (!parsed.success)
    return {
      action: "ignored",
      reason: `not a hook payload: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    };
  const hook = parsed.data;
  const session = hook.session_id;
  if (!session) return { action: "ignored", reason: "no session_id" };
  // Any event, even one not used, shows the session alive: its run is closed only after a quiet spell.
  await touchSession(database.db, session, new Date().toISOString());
  const digest = options.eventId ?? hookDigest(payload);
  const known = [digest, ...formerDigestsOf(payload as Record<string, unknown>, digest, options.deliveryKey)];
  if (await isHookDelivered(database.db, known)) return { action: "duplicate" };
  const delivery = { digest, session_id: session, hook_event_name: hook.hook_event_name };
  const call = toolCallOfHook(hook);
  if (call !== undefined) return addToolCall(database, delivery, session, call, hook.cwd ?? null);

  const outcome = await apply(database, hook, session, digest, options);
  // Events patternloop does not use (PreToolUse and Notification are half of all events) are ignored
  // whatever the state, so they are not remembered. A used event that was ignored (a Stop with no open
  // run) is: delivered again later, it must not act on a run opened since.
  if (!USED_EVENTS.has(hook.hook_event_name)) return outcome;
  await recordHookDelivery(database.db, delivery);
  return outcome;
}

type Hook = ReturnType<typeof claudeCodeHookSchema.parse>;

/** The events the receiver applies; any other only shows its session alive. */
export const USED_EVENTS: ReadonlySet<string> = new Set([
  "UserPromptSubmit",
  "PostToolUse",
  "PostToolUseFailure",
  "Stop",
  "StopFailure",
  "SessionEnd",
]);

async function apply(
  database: PatternloopDatabase,
  hook: Hook,
  session: string,
  digest: string,
  options: ReceiveHookOptions,
): Promise<HookOutcome> {
  switch (hook.hook_event_name) {
    case "UserPromptSubmit": {
      const workflowId = runIdOf(session, digest);
      // The previous run ends first, so that the predictor has learnt from it when it predicts this one.
      const previous = await openRunOfSession(database.db, session);
      if (previous !== undefined && previous !== workflowId) await endRun(database, previous, options);
      await startRun(
        database,
        {
          workflow_id: workflowId,
          nl_input: hook.prompt ?? null,
          workflow_template: slashCommandOf(hook.prompt) ?? null,
          request_id: hook.prompt_id ?? null,
          project: hook.cwd ?? null,
        },
        options.predictor,
      );
      // The session goes from its previous run straight to this one: a tool call racing the prompt finds
      // one or the other, never no run (for which it would open a run of its own).
      const replaced = await database.db.transaction().execute(async (trx) => {
        const open = await lockSession(trx, session);
        if (open !== workflowId) await pointSession(trx, session, workflowId, 1);
        return open;
      });
      // A run that tool calls opened meanwhile (hooks installed mid-session) ends as the previous one did.
      if (replaced !== undefined && replaced !== previous && replaced !== workflowId)
        await endRun(database, replaced, options);
      return { action: "started", workflow_id: workflowId };
    }
    case "PostToolUse":
    case "PostToolUseFailure":
      // One that reports a tool call was stored by addToolCall.
      return { action: "ignored", reason: "no tool_name" };
    case "Stop":
    case "StopFailure":
    case "SessionEnd": {
      const failure = stopFailureOf(hook);
      const ending =
        failure === undefined ? undefined : { status: "failed" as const, error_message: failure };
      const workflowId = await closeOpenRun(database, session, options, ending);
      return workflowId === undefined
        ? { action: "ignored", reason: "no open run in this session" }
        : { action: "completed", workflow_id: workflowId };
    }
    default:
      return { action: "ignored", reason: `${hook.hook_event_name} is not used` };
  }
}

/** The run a prompt starts, or tool calls without a prompt open: the same payload always names the same run. */
function runIdOf(session: string, digest: string): string {
  return `cc-${session}-${digest.slice(0, 16)}`;
}

/**
 * Adds a tool call to the session's open run (opening one if there is none), and remembers the delivery, in
 * one transaction that holds the session and then the run: calls racing each other, or racing their
 * session's prompt, are stored one after the other, each in the run the session has open when it gets its
 * turn. A copy of the delivery racing it finds it remembered and changes nothing.
 */
async function addToolCall(
  database: PatternloopDatabase,
  delivery: HookDelivery,
  session: string,
  call: ToolCall,
  project: string | null,
): Promise<HookOutcome> {
  return database.db.transaction().execute(async (trx): Promise<HookOutcome> => {
    if (!(await recordHookDelivery(trx, delivery))) return { action: "duplicate" };
    let workflowId = await lockSession(trx, session);
    const opened = workflowId === undefined;
    if (workflowId === undefined) {
      // Hooks installed mid-session: the tool calls still belong to a run, one without a known prompt.
      workflowId = runIdOf(session, delivery.digest);
      await insertStartedRun(trx, { workflow_id: workflowId, start_time: new Date().toISOString(), project });
      await pointSession(trx, session, workflowId, 0);
    }
    const stored = await appendToolCalls(trx, [{ workflow_id: workflowId, calls: [call] }]);
    // The same call logged again (a second PostToolUse for one tool_use_id) adds nothing.
    const outcome: HookOutcome = { action: stored > 0 ? "tool_call" : "duplicate", workflow_id: workflowId };
    return opened ? { ...outcome, opened_run: true } : outcome;
  });
}

/** Completes the session's open run and clears the pointer, unless the session moved on; returns the run. */
async function closeOpenRun(
  database: PatternloopDatabase,
  session: string,
  options: ReceiveHookOptions,
  ending?: RunCompletion,
): Promise<string | undefined> {
  const open = await openRunOfSession(database.db, session);
  if (open === undefined) return undefined;
  await endRun(database, open, options, ending);
  await releaseSessionRun(database.db, session, open);
  return open;
}

/**
 * Ends a session's run, as `ending` says, else as {@link endingOfRuns} does; one that another delivery
 * ended already stays as it is. The session points at the run, so a run that is not there is a fault,
 * thrown like a failure.
 */
async function endRun(
  database: PatternloopDatabase,
  workflowId: string,
  options: ReceiveHookOptions,
  ending?: RunCompletion,
) {
  const completion = ending ?? (await endingOfRuns(database, [workflowId])).get(workflowId);
  const [outcome] = await completeRuns(
    database,
    [{ workflowId, completion: completion ?? { status: "completed" } }],
    options,
  );
  if (outcome?.outcome === "failed") throw outcome.error;
  if (outcome?.outcome === "unknown_run") throw new PatternloopValidatorError("unknown_run", outcome.message);
}

/**
 * How each of these session runs ends when nothing says otherwise (the next prompt, a `Stop`, a quiet
 * session): `completed`, unless the user interrupted one of its tool calls. Claude Code sends no `Stop`
 * for an interrupted turn, and the run status has no "interrupted": a turn the user broke off did not do
 * what was asked, so it is `failed`, its error message saying it was interrupted (and kept out of the
 * predictions' validation, as any failed run).
 */
export async function endingOfRuns(
  database: PatternloopDatabase,
  workflowIds: readonly string[],
): Promise<Map<string, RunCompletion>> {
  const interrupted = await interruptedRuns(database.db, workflowIds);
  return new Map(
    workflowIds.map((workflowId) => {
      const error = interrupted.get(workflowId);
      const completion: RunCompletion =
        error === undefined
          ? { status: "completed" }
          : { status: "failed", error_message: `interrupted by the user${error === "" ? "" : `: ${error}`}` };
      return [workflowId, completion];
    }),
  );
}
