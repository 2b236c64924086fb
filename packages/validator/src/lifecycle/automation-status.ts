import {
  type AutomationStatus,
  type PatternloopDatabase,
  patternStatus,
  patternStatusHistory,
  recordStatusChange,
  type StatusHistoryEntry,
} from "@patternloop/db";
import { PatternloopValidatorError } from "../validator-error.js";

/** Where each status may go (§4); `deprecated` is reachable from everywhere else. */
const NEXT: Record<AutomationStatus, readonly AutomationStatus[]> = {
  detected: ["candidate", "deprecated"],
  candidate: ["approved", "detected", "deprecated"],
  approved: ["implemented", "deprecated"],
  implemented: ["active", "deprecated"],
  active: ["deprecated"],
  deprecated: [],
};

export interface StatusChange {
  /** Who decides: a reviewer's name, or `patternloop` for the automatic promotion. */
  by: string;
  note?: string | null;
  /**
   * When the change happened, an ISO time not in the future; now when left out. Lets a reviewer record a
   * script that went into use earlier, so realized savings split the runs at the right time.
   */
  at?: string;
}

export interface StatusChangeResult {
  pattern_signature: string;
  from: AutomationStatus;
  to: AutomationStatus;
}

/**
 * Moves a pattern (by id or signature) to another automation status, recording who, when, from, to and why.
 * Illegal moves are refused with a message that names the legal ones; approving needs a note. The move is a
 * compare-and-set in one transaction, so two reviewers cannot both move the same status.
 */
export async function changeStatus(
  database: PatternloopDatabase,
  pattern: string,
  to: AutomationStatus,
  change: StatusChange,
): Promise<StatusChangeResult> {
  const by = change.by.trim();
  if (by === "")
    throw new PatternloopValidatorError("invalid_input", "a status change needs the name of who makes it");
  if (to === "approved" && !change.note?.trim())
    throw new PatternloopValidatorError("invalid_input", "approving a pattern needs a note saying why");
  const at = change.at === undefined ? undefined : Date.parse(change.at);
  if (at !== undefined && (Number.isNaN(at) || at > Date.now()))
    throw new PatternloopValidatorError(
      "invalid_input",
      `a status change time must be an ISO time not in the future, not ${JSON.stringify(change.at)}`,
    );
  const key = /^\d+$/.test(pattern) ? Number(pattern) : pattern.trim().toLowerCase();
  return database.db.transaction().execute(async (trx) => {
    const row = await patternStatus(trx, key);
    if (row === undefined)
      throw new PatternloopValidatorError("unknown_pattern", `no pattern ${JSON.stringify(pattern)}`);
    const from = row.automation_status;
    if (!NEXT[from].includes(to)) {
      const legal = NEXT[from].length === 0 ? "nowhere" : NEXT[from].join(" or ");
      throw new PatternloopValidatorError(
        "illegal_transition",
        `${row.pattern_signature} is ${from}; it can move to ${legal}, not ${to}`,
      );
    }
    const moved = await recordStatusChange(trx, {
      pattern_id: row.id,
      from,
      to,
      changed_by: by,
      note: change.note ?? null,
      at: at === undefined ? undefined : new Date(at).toISOString(),
    });
    if (!moved)
      throw new PatternloopValidatorError(
        "illegal_transition",
        `${row.pattern_signature} changed status meanwhile; try again`,
      );
    return { pattern_signature: row.pattern_signature, from, to };
  });
}

/** A pattern's status changes, oldest first. */
export function statusHistory(
  database: PatternloopDatabase,
  signature: string,
): Promise<StatusHistoryEntry[]> {
  return patternStatusHistory(database.db, signature);
}
