import { claudeCodeHookSchema } from "@patternloop/core";
import {
  countKeptPayloads,
  isHookDelivered,
  isHookDeliveryKeyKept,
  keepHookEvent,
  type PatternloopDatabase,
  touchSession,
} from "@patternloop/db";
import { arrivalOrderDigest, hookDigest } from "./hook-digest.js";
import { hasToolUseId, hookEventId } from "./hook-event-id.js";
import { USED_EVENTS } from "./receive-hook.js";

/** What became of a hook payload received: kept, to be applied, or not kept and why. */
export type AcceptedHook =
  | { accepted: "kept"; event_id: string }
  | { accepted: "duplicate"; event_id?: string }
  | { accepted: "ignored"; reason: string };

export interface AcceptHookOptions {
  /** The sender's `Patternloop-Delivery-Key`: the same key twice in a session is one delivery. */
  deliveryKey?: string;
  /** The event id when the caller knows it (a hook log read in order, see `hookEventIdsOf`). */
  eventId?: string;
  /** When it was received; now by default. */
  receivedAt?: Date;
  /**
   * The payload as versions before the delivery key identified it (a hook log's line, annotations
   * included): one they applied is a duplicate.
   */
  formerPayload?: unknown;
}

/** Times an identical payload racing another one of its session tries the next occurrence number. */
const MAX_RACE_RETRIES = 64;

/**
 * Keeps a Claude Code hook payload until {@link processHookEvents} applies it: what the receiver does before
 * it answers, so that the answer comes fast and an answered event is never lost. Mostly one insert: a
 * payload without a `tool_use_id` first counts the identical payloads its session has (its event id is
 * its content and that number, see `hookEventId`). A payload that is not a hook payload, or has no
 * session, is not kept (there is nothing it could do); a delivery key the session has, or an event already
 * kept, is a duplicate. An event the receiver does not apply is not kept either.
 */
export async function acceptClaudeCodeHook(
  database: PatternloopDatabase,
  payload: unknown,
  options: AcceptHookOptions = {},
): Promise<AcceptedHook> {
  const parsed = claudeCodeHookSchema.safeParse(payload);
  if (!parsed.success)
    return {
      accepted: "ignored",
      reason: `not a hook payload: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    };
  const session = parsed.data.session_id;
  if (!session) return { accepted: "ignored", reason: "no session_id" };
  const { db } = database;
  const at = options.receivedAt ?? new Date();
  // Events the receiver does not apply (PreToolUse and Notification are half of all events) are not kept;
  // they only show the session alive, so that its run is not closed as quiet meanwhile.
  if (!USED_EVENTS.has(parsed.data.hook_event_name)) {
    await touchSession(db, session, at.toISOString());
    return { accepted: "ignored", reason: `${parsed.data.hook_event_name} is not used` };
  }
  const deliveryKey = options.deliveryKey ?? null;
  if (deliveryKey !== null && (await isHookDeliveryKeyKept(db, session, deliveryKey)))
    return { accepted: "duplicate" };
  const former = options.formerPayload;
  if (former !== undefined && (await isHookDelivered(db, [hookDigest(former), arrivalOrderDigest(former)])))
    return { accepted: "duplicate" };
  const fields = payload as Record<string, unknown>;
  const digest = hookDigest(fields);
  const event = {
    session_id: session,
    payload_digest: digest,
    delivery_key: deliveryKey,
    payload: JSON.stringify(payload),
    received_at: at.toISOString(),
  };
  if (options.eventId !== undefined || hasToolUseId(fields)) {
    const eventId = options.eventId ?? digest;
    const kept = await keepHookEvent(db, { ...event, event_id: eventId });
    return kept ? { accepted: "kept", event_id: eventId } : { accepted: "duplicate", event_id: eventId };
  }
  // Two identical payloads of one session arriving at once may both count the same earlier ones: the one
  // that finds its number taken takes the next, unless its delivery key shows it a repeat.
  let occurrence = (await countKeptPayloads(db, session, digest)) + 1;
  for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++, occurrence++) {
    const eventId = hookEventId(digest, fields, occurrence);
    if (await keepHookEvent(db, { ...event, event_id: eventId }))
      return { accepted: "kept", event_id: eventId };
    if (deliveryKey !== null && (await isHookDeliveryKeyKept(db, session, deliveryKey)))
      return { accepted: "duplicate" };
  }
  throw new Error(
    `hook payload of session ${session} not kept: ${MAX_RACE_RETRIES} identical copies at once`,
  );
}
