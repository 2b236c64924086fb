import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { AutomationStatus } from "./operation-patterns-table.js";

/** `pattern_status_history`: every `automation_status` change (who, when, from, to, note). */
export interface PatternStatusHistoryTable {
  id: Generated<number>;
  /** References `operation_patterns.id`. Indexed. */
  pattern_id: number;
  /** NULL for the first status of a pattern. */
  from_status: AutomationStatus | null;
  to_status: AutomationStatus;
  /** A reviewer's name, or e.g. `system` for automatic promotion. */
  changed_by: string;
  note: string | null;
  /** Defaults to now. */
  changed_at: ColumnType<string, string | undefined, string>;
}

/** A `pattern_status_history` row as read. */
export type PatternStatusHistory = Selectable<PatternStatusHistoryTable>;
/** A `pattern_status_history` row to insert. */
export type NewPatternStatusHistory = Insertable<PatternStatusHistoryTable>;
/** A change to a `pattern_status_history` row. */
export type PatternStatusHistoryUpdate = Updateable<PatternStatusHistoryTable>;
