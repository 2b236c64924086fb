import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import type { AutomationStatus } from "../schema/operation-patterns-table.js";

/** A pattern's id, signature and automation status. */
export interface PatternStatus {
  id: number;
  pattern_signature: string;
  automation_status: AutomationStatus;
}

/**
 * The automation status of one pattern, found by id (a number) or by signature (a string, matched as
 * given); undefined when there is no such pattern. In a transaction, read before a status change so that
 * the change is decided on what the transaction sees.
 */
export function patternStatus(
  db: Kysely<Database>,
  idOrSignature: number | string,
): Promise<PatternStatus | undefined> {
  const query = db.selectFrom("operation_patterns").select(["id", "pattern_signature", "automation_status"]);
  return typeof idOrSignature === "number"
    ? query.where("id", "=", idOrSignature).executeTakeFirst()
    : query.where("pattern_signature", "=", idOrSignature).executeTakeFirst();
}
