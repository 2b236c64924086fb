import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { PatternStatusHistory } from "../schema/pattern-status-history-table.js";

/** One recorded move of a pattern's automation status. */
export type StatusHistoryEntry = Pick<
  PatternStatusHistory,
  "from_status" | "to_status" | "changed_by" | "note" | "changed_at"
>;

/** The status changes of the pattern with this signature, oldest first (none for an unknown pattern). */
export function patternStatusHistory(db: Kysely<Database>, signature: string): Promise<StatusHistoryEntry[]> {
  return db
    .selectFrom("pattern_status_history as h")
    .innerJoin("operation_patterns as op", "op.id", "h.pattern_id")
    .select(["h.from_status", "h.to_status", "h.changed_by", "h.note", "h.changed_at"])
    .where("op.pattern_signature", "=", signature)
    .orderBy("h.id")
    .execute();
}
