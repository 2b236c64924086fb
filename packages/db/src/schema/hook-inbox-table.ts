import type { Generated, Selectable } from "kysely";

/**
 * `hook_inbox`: the Claude Code hook events received, kept before they are answered and applied after, in
 * the order of `id` within each session.
 */
export interface HookInboxTable {
  id: Generated<number>;
  /** The event's identity (see the receiver): the same event received twice is one row. */
  event_id: string;
  session_id: string;
  /** SHA-256 of the payload's canonical JSON, to count the earlier identical events of the session. */
  payload_digest: string;
  /** The sender's `Patternloop-Delivery-Key`, unique per session; null when none was sent. */
  delivery_key: string | null;
  /** The payload as JSON text. */
  payload: string;
  /** ISO-8601 UTC. */
  received_at: string;
  /** Until when a processor holds the event (ISO-8601 UTC); null when none does. */
  claimed_until: string | null;
  /** When the event was applied, or set aside (ISO-8601 UTC); null while it waits. */
  processed_at: string | null;
  /** How many times applying it failed with an error other than a storage failure. */
  attempts: Generated<number>;
  /** The last such error's message; null when none failed. */
  last_error: string | null;
  /**
   * When it was set aside after failing too often (ISO-8601 UTC): its payload is kept and its session's later
   * events go on without it. Null otherwise.
   */
  set_aside_at: string | null;
}

export type HookInboxRow = Selectable<HookInboxTable>;
