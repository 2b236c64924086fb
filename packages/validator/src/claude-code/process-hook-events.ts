import {
  claimHookEvent,
  type HookEvent,
  markHookEventProcessed,
  type PatternloopDatabase,
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
}

export const DEFAULT_HOOK_HOLD_MS = 20_000;

/**
 * Applies the hook events kept by `acceptClaudeCodeHook` that wait, through the receiver, each session's in
 * the order they arrived, until none is left (events another processor holds are left to it); returns how
 * many it applied. Several processors, on one replica or several, may run at once: each event is taken by
 * one of them. An event whose processing throws is let go, to be tried again, and the error is thrown.
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
      await releaseHookEvent(database.db, event.id).catch(() => {});
      throw error;
    }
    await markHookEventProcessed(database.db, event.id, new Date(now()).toISOString());
    processed++;
    options.onProcessed?.(event, outcome);
  }
  return processed;
}
