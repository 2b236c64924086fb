import { createHash } from "node:crypto";
import { claudeCodeHookSchema, slashCommandOf, toolCallOfHook } from "@patternloop/core";
import { insertToolCalls, type PatternloopDatabase, touchSession } from "@patternloop/db";
import { type CompleteRunOptions, completeRun } from "../loop/complete-run.js";
import { startRun } from "../loop/start-run.js";
import type { Predictor } from "../predictor/learned-predictor.js";
import { PatternloopValidatorError } from "../validator-error.js";

/** What a hook payload did. */
export interface HookOutcome {
  action: "started" | "tool_call" | "completed" | "ignored" | "duplicate";
  workflow_id?: string;
  /** Why it was ignored. */
  reason?: string;
}

export interface ReceiveHookOptions
  extends Pick<CompleteRunOptions, "log" | "statistics" | "candidateThresholds"> {
  predictor: Predictor;
}

/**
 * Maps one Claude Code hook payload onto runs (§7): `UserPromptSubmit` starts a run for the prompt (with
 * predictions) and completes the session's previous one, `PostToolUse` / `PostToolUseFailure` add a tool
 * call to the session's open run (opening one if hooks began mid-session), `Stop` and `SessionEnd` complete
 * it. Other events are ignored. A payload received before (same bytes) changes nothing; every effect is
 * idempotent besides, so two copies racing each other still count once.
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
  const digest = createHash("sha256").update(JSON.stringify(payload)).digest("hex");
  const { db } = database;
  if (await db.selectFrom("hook_deliveries").select("digest").where("digest", "=", digest).executeTakeFirst())
    return { action: "duplicate" };

  const outcome = await apply(database, hook, session, digest, options);
  // Events patternloop does not use (PreToolUse and Notification are half of all events) are ignored
  // whatever the state, so they are not remembered. A used event that was ignored (a Stop with no open
  // run) is: delivered again later, it must not act on a run opened since.
  if (!USED_EVENTS.has(hook.hook_event_name)) return outcome;
  await db
    .insertInto("hook_deliveries")
    .values({ digest, session_id: session, hook_event_name: hook.hook_event_name })
    .onConflict((oc) => oc.column("digest").doNothing())
    .execute();
  return outcome;
}

type Hook = ReturnType<typeof claudeCodeHookSchema.parse>;

const USED_EVENTS = new Set(["UserPromptSubmit", "PostToolUse", "PostToolUseFailure", "Stop", "SessionEnd"]);

async function apply(
  database: PatternloopDatabase,
  hook: Hook,
  session: string,
  digest: string,
  options: ReceiveHookOptions,
): Promise<HookOutcome> {
  switch (hook.hook_event_name) {
    case "UserPromptSubmit": {
      const workflowId = `cc-${session}-${digest.slice(0, 16)}`;
      await closeOpenRun(database, session, options, workflowId);
      await startRun(
        database,
        {
          workflow_id: workflowId,
          nl_input: hook.prompt ?? null,
          workflow_template: slashCommandOf(hook.prompt) ?? null,
          request_id: hook.prompt_id ?? null,
        },
        options.predictor,
      );
      await pointSession(database, session, workflowId, 1);
      return { action: "started", workflow_id: workflowId };
    }
    case "PostToolUse":
    case "PostToolUseFailure": {
      const call = toolCallOfHook(hook);
      if (call === undefined) return { action: "ignored", reason: "no tool_name" };
      let workflowId = await openRunOf(database, session);
      if (workflowId === undefined) {
        // Hooks installed mid-session: the tool calls still belong to a run, one without a known prompt.
        workflowId = `cc-${session}-${digest.slice(0, 16)}`;
        await startRun(database, { workflow_id: workflowId, predictions: [] }, options.predictor);
        await pointSession(database, session, workflowId, 0);
      }
      const target = workflowId;
      const stored = await database.db.transaction().execute((trx) => insertToolCalls(trx, target, [call]));
      // The same call logged again (a second PostToolUse for one tool_use_id) adds nothing.
      return { action: stored > 0 ? "tool_call" : "duplicate", workflow_id: workflowId };
    }
    case "Stop":
    case "SessionEnd": {
      const workflowId = await closeOpenRun(database, session, options);
      return workflowId === undefined
        ? { action: "ignored", reason: "no open run in this session" }
        : { action: "completed", workflow_id: workflowId };
    }
    default:
      return { action: "ignored", reason: `${hook.hook_event_name} is not used` };
  }
}

async function openRunOf(database: PatternloopDatabase, session: string): Promise<string | undefined> {
  const row = await database.db
    .selectFrom("claude_code_sessions")
    .select("open_workflow_id")
    .where("session_id", "=", session)
    .executeTakeFirst();
  return row?.open_workflow_id ?? undefined;
}

/** Completes the session's open run (unless it is `keep`) and clears the pointer; returns the run completed. */
async function closeOpenRun(
  database: PatternloopDatabase,
  session: string,
  options: ReceiveHookOptions,
  keep?: string,
): Promise<string | undefined> {
  const open = await openRunOf(database, session);
  if (open === undefined || open === keep) return undefined;
  try {
    await completeRun(database, open, { status: "completed" }, options);
  } catch (error) {
    if (!(error instanceof PatternloopValidatorError && error.code === "already_finished")) throw error;
  }
  await database.db
    .updateTable("claude_code_sessions")
    .set({ open_workflow_id: null, updated_at: new Date().toISOString() })
    .where("session_id", "=", session)
    .where("open_workflow_id", "=", open)
    .execute();
  return open;
}

async function pointSession(
  database: PatternloopDatabase,
  session: string,
  workflowId: string,
  prompts: number,
): Promise<void> {
  const now = new Date().toISOString();
  await database.db
    .insertInto("claude_code_sessions")
    .values({ session_id: session, open_workflow_id: workflowId, prompts, updated_at: now })
    .onConflict((oc) =>
      oc.column("session_id").doUpdateSet((eb) => ({
        open_workflow_id: workflowId,
        prompts: eb("claude_code_sessions.prompts", "+", prompts),
        updated_at: now,
      })),
    )
    .execute();
}
