import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { AutomationStatus } from "../schema/operation-patterns-table.js";

/** One move of a pattern's automation status: from what it was read as, to what, by whom and why. */
export interface StatusChangeRecord {
  pattern_id: number;
  from: AutomationStatus;
  to: AutomationStatus;
  changed_by: string;
  note: string | null;
  /** When the change happened, ISO-8601; now when left out (a reviewer may record a change made earlier). */
  at?: string;
}

/**
 * Moves a pattern's status and records the move in its status history, in the caller's transaction.
 * The move is a compare-and-set on `from`: it returns false, changing nothing, when the pattern no longer
 * has that status (another writer moved it meanwhile), so two reviewers cannot both move the same status.
 */
export async function recordStatusChange(
  trx: Kysely<Database>,
  change: StatusChangeRecord,
): Promise<boolean> {
  const moved = await trx
    .updateTable("operation_patterns")
    .set({ automation_status: change.to, updated_at: new Date().toISOString() })
    .where("id", "=", change.pattern_id)
    .where("automation_status", "=", change.from)
    .returning("id")
    .executeTakeFirst();
  if (moved === undefined) return false;
  await trx
    .insertInto("pattern_status_history")
    .values({
      pattern_id: change.pattern_id,
      from_status: change.from,
      to_status: change.to,
      changed_by: change.changed_by,
      note: change.note,
      changed_at: change.at,
    })
    .execute();
  return true;
}
