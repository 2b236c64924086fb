import {
  claimHookEvent,
  type HookEvent,
  isStorageFailure,
  markHookEventProcessed,
  type PatternloopDatabase,
  recordHookEventFailure,
  releaseHookEvent,
} from "@patternloop/db";
import { type HookOutcome, type ReceiveHookOptions, receiveClaudeCodeHook } from "./receive-hook.js";

export interface ProcessHookOptions extends Omit<ReceiveHookOptions, "eventId" | "deliveryKey"> {
  /**
   * How long a processor holds an event it took, in milliseconds (default 20 s): past it, another processor
   * (another replica, or this one restarted) takes the event again, whose effects are applied once anyway.
   */
  holdMs?: number;
  /** Stops after this many events (all there are by default). */
  limit?: number;
  /** Told of each event applied. */
  onProcessed?: (event: HookEvent, outcome: HookOutcome) => void;
  /** The clock, in milliseconds; `Date.now` by default. */
  now?: () => number;
  /**
   * How many times an event may fail before it is set aside (default {@link DEFAULT_HOOK_MAX_ATTEMPTS}).
   * Storage failures (a busy, full or read-only database, a lost server) are not counted: they say nothing
   * about the event, and it waits until they are over.
   */
  maxAttempts?: number;
  /** Told of an event set aside, with the error of its last attempt. */
  onSetAside?: (event: HookEvent, error: unknown, attempts: number) => void;
}

export const DEFAULT_HOOK_HOLD_MS = 20_000;

/**
 * An event that fails this often fails for what it is (a payload this version cannot apply, a bug): trying it
 * for ever would hold back every later event of its session, so its run would never end.
 */
export const DEFAULT_HOOK_MAX_ATTEMPTS = 3;

/**
 * Applies the hook events kept by `acceptClaudeCodeHook` that wait, through the receiver, each session's in
 * the order they arrived, until none is left (events another processor holds are left to it); returns how
 * many it applied. Several processors, on one replica or several, may run at once: each event is taken by
 * one of them. An event whose processing throws is let go, to be tried again, and the error is thrown; one
 * that has failed `maxAttempts` times is set aside instead, and the others go on.
 */
export async function processHookEvents(
  database: PatternloopDatabase,
  options: ProcessHookOptions,
): Promise<number> {
  const now = options.now ?? Date.now;
  const holdMs = options.holdMs ?? DEFAULT_HOOK_HOLD_MS;
  let processed = 0;
  while (options.limit === undefined || processed < options.limit) {
    const at = now();
    const event = await claimHookEvent(
      database.db,
      new Date(at).toISOString(),
      new Date(at + holdMs).toISOString(),
    );
    if (event === undefined) break;
    let outcome: HookOutcome;
    try {
      outcome = await receiveClaudeCodeHook(database, JSON.parse(event.payload), {
        ...options,
        eventId: event.event_id,
        deliveryKey: event.delivery_key ?? undefined,
      });
    } catch (error) {
      if (isStorageFailure(error)) {
        await releaseHookEvent(database.db, event.id).catch(() => {});
        throw error;
      }
      const failure = await recordHookEventFailure(database.db, event.id, {
        error: messageOf(error),
        at: new Date(now()).toISOString(),
        maxAttempts: options.maxAttempts ?? DEFAULT_HOOK_MAX_ATTEMPTS,
      });
      if (!failure.setAside) throw error;
      options.onSetAside?.(event, error, failure.attempts);
      continue;
    }
    await markHookEventProcessed(database.db, event.id, new Date(now()).toISOString());
    processed++;
    options.onProcessed?.(event, outcome);
  }
  return processed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] || error.name : String(error);
}
