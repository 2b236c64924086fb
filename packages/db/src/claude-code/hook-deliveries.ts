import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** One hook payload received, by the digest that identifies it. */
export interface HookDelivery {
  digest: string;
  session_id: string | null;
  hook_event_name: string | null;
}

/** Whether a payload with any of these digests was received before. */
export async function isHookDelivered(db: Kysely<Database>, digests: readonly string[]): Promise<boolean> {
  if (digests.length === 0) return false;
  const row = await db
    .selectFrom("hook_deliveries")
    .select("digest")
    .where("digest", "in", digests)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Remembers a payload as received; returns false when it was already. In the transaction that applies the
 * payload, this is what makes two copies racing each other count once: the second waits for the first's
 * commit, then finds its digest.
 */
export async function recordHookDelivery(db: Kysely<Database>, delivery: HookDelivery): Promise<boolean> {
  const inserted = await db
    .insertInto("hook_deliveries")
    .values(delivery)
    .onConflict((oc) => oc.column("digest").doNothing())
    .returning("digest")
    .executeTakeFirst();
  return inserted !== undefined;
}
