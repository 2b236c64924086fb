import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { HookInboxRow } from "../schema/hook-inbox-table.js";

/** A hook event to keep until it is applied: the columns its receiver sets (none claims or applies it yet). */
export type NewHookEvent = Pick<
  HookInboxRow,
  "event_id" | "session_id" | "payload_digest" | "delivery_key" | "payload" | "received_at"
>;

/** A kept hook event, as a processor gets it. */
export type HookEvent = Pick<HookInboxRow, "id" | "event_id" | "session_id" | "delivery_key" | "payload">;

/**
 * Keeps a hook event until it is applied; one insert. Returns false, keeping nothing, when an event with the
 * same `event_id`, or the same `delivery_key` in the session, is kept already.
 */
export async function keepHookEvent(db: Kysely<Database>, event: NewHookEvent): Promise<boolean> {
  const kept = await db
    .insertInto("hook_inbox")
    .values(event)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return kept !== undefined;
}

/** Whether the session has an event kept under this delivery key. */
export async function isHookDeliveryKeyKept(
  db: Kysely<Database>,
  sessionId: string,
  deliveryKey: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("hook_inbox")
    .select("id")
    .where("session_id", "=", sessionId)
    .where("delivery_key", "=", deliveryKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many events of the session with this payload digest are kept. */
export async function countKeptPayloads(
  db: Kysely<Database>,
  sessionId: string,
  payloadDigest: string,
): Promise<number> {
  const row = await db
    .selectFrom("hook_inbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("session_id", "=", sessionId)
    .where("payload_digest", "=", payloadDigest)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Takes the next event that may be applied now and holds it until `claimUntil` (ISO-8601 UTC): the oldest
 * event not applied and not held by another processor (or held past its time, a processor that died) whose
 * session has no earlier event waiting, so that each session's events are applied one at a time, in the
 * order they arrived. The hold is taken by a conditional update, so two processors (two replicas) never take
 * the same event; undefined when there is nothing to take.
 */
export async function claimHookEvent(
  db: Kysely<Database>,
  now: string,
  claimUntil: string,
): Promise<HookEvent | undefined> {
  for (;;) {
    const next = await db
      .selectFrom("hook_inbox as event")
      .select("event.id")
      .where("event.processed_at", "is", null)
      .where((eb) => eb.or([eb("event.claimed_until", "is", null), eb("event.claimed_until", "<", now)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("hook_inbox as earlier")
              .select("earlier.id")
              .whereRef("earlier.session_id", "=", "event.session_id")
              .whereRef("earlier.id", "<", "event.id")
              .where("earlier.processed_at", "is", null),
          ),
        ),
      )
      .orderBy("event.id")
      .limit(1)
      .executeTakeFirst();
    if (next === undefined) return undefined;
    const claimed = await db
      .updateTable("hook_inbox")
      .set({ claimed_until: claimUntil })
      .where("id", "=", next.id)
      .where("processed_at", "is", null)
      .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
      .returning(["id", "event_id", "session_id", "delivery_key", "payload"])
      .executeTakeFirst();
    // Another processor took it between the two statements: look again.
    if (claimed !== undefined) return claimed;
  }
}

/**
 * Marks a held event as applied, which lets the next event of its session be taken. Its payload is dropped
 * (a tool's output can be large, and what was used of it is stored); its id and digest, which identify it
 * when it comes again, stay.
 */
export async function markHookEventProcessed(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db
    .updateTable("hook_inbox")
    .set({ processed_at: at, claimed_until: null, payload: "" })
    .where("id", "=", id)
    .execute();
}

/** Lets another processor take a held event at once (its processing failed and is to be tried again). */
export async function releaseHookEvent(db: Kysely<Database>, id: number): Promise<void> {
  await db
    .updateTable("hook_inbox")
    .set({ claimed_until: null })
    .where("id", "=", id)
    .where("processed_at", "is", null)
    .execute();
}

/**
 * Counts a failed attempt to apply a held event and lets it go. Once it has failed `maxAttempts` times it is set
 * aside instead: marked done so that its session's later events go on, with its payload and error kept for
 * whoever looks. Returns how many attempts have failed, and whether the event is now set aside.
 */
export async function recordHookEventFailure(
  db: Kysely<Database>,
  id: number,
  failure: { error: string; at: string; maxAttempts: number },
): Promise<{ attempts: number; setAside: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("hook_inbox")
      .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: failure.error, claimed_until: null }))
      .where("id", "=", id)
      .where("processed_at", "is", null)
      .returning("attempts")
      .executeTakeFirst();
    const attempts = Number(row?.attempts ?? 0);
    if (row === undefined || attempts < failure.maxAttempts) return { attempts, setAside: false };
    await trx
      .updateTable("hook_inbox")
      .set({ processed_at: failure.at, set_aside_at: failure.at })
      .where("id", "=", id)
      .execute();
    return { attempts, setAside: true };
  });
}

/** A hook event that was set aside after failing too often. */
export type SetAsideHookEvent = Pick<
  HookInboxRow,
  "id" | "event_id" | "session_id" | "attempts" | "last_error" | "set_aside_at"
>;

/** The events set aside, oldest first (at most `limit`), and how many there are in all. */
export async function listSetAsideHookEvents(
  db: Kysely<Database>,
  limit = 20,
): Promise<{ total: number; events: SetAsideHookEvent[] }> {
  const events = await db
    .selectFrom("hook_inbox")
    .select(["id", "event_id", "session_id", "attempts", "last_error", "set_aside_at"])
    .where("set_aside_at", "is not", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  const row = await db
    .selectFrom("hook_inbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("set_aside_at", "is not", null)
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.n),
    events: events.map((event) => ({ ...event, attempts: Number(event.attempts) })),
  };
}

/**
 * Puts the events set aside back to wait, with no failed attempt counted: a receiver that starts may be a
 * version that applies them, or the fault that failed them may be fixed. Returns how many.
 */
export async function requeueSetAsideHookEvents(db: Kysely<Database>): Promise<number> {
  // Looked for first: with none set aside, a receiver on a read-only database starts without writing.
  const any = await db
    .selectFrom("hook_inbox")
    .select("id")
    .where("set_aside_at", "is not", null)
    .limit(1)
    .executeTakeFirst();
  if (any === undefined) return 0;
  const rows = await db
    .updateTable("hook_inbox")
    .set({ processed_at: null, set_aside_at: null, attempts: 0, claimed_until: null })
    .where("set_aside_at", "is not", null)
    .returning("id")
    .execute();
  return rows.length;
}

/** How many kept events are not applied yet. */
export async function countPendingHookEvents(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("hook_inbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("processed_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
