import { sql } from "kysely";
import type { AnyKysely, Engine } from "./engine/engine.js";

/**
 * What opening an existing database changed in it, so that a command can say so: adopting an ADW history
 * renames tables and adds columns that its owner will notice.
 */
export interface SchemaUpgrade {
  /** Tables another tool created under a name patternloop needs, renamed so that their rows survive. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  /** Columns added to the existing `workflow_history` table (its own columns and rows are kept). */
  readonly columns_added: readonly string[];
  /**
   * Rows of the legacy `operation_patterns` table whose review columns (`tool_name`, `tool_script_path`,
   * `reviewed_by`, `reviewed_at`, `review_notes`) now live on in the pattern of the same signature.
   */
  readonly patterns_carried: number;
  /** Legacy pattern rows whose signature is not a patternloop signature: kept in the legacy table only. */
  readonly patterns_left: number;
}

/** Tables the migrations create, which set aside a table of the same name they find. */
const OWN_TABLES = [
  "workflow_tool_calls",
  "operation_patterns",
  "pattern_occurrences",
  "pattern_predictions",
  "pattern_status_history",
  "ingest_sources",
  "claude_code_sessions",
  "hook_deliveries",
  "hook_inbox",
] as const;

/** The state a {@link SchemaUpgrade} is measured from, read before the migrations run. */
export interface SchemaBefore {
  readonly historyColumns: ReadonlySet<string>;
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  /** Whether the migration that carries legacy pattern rows over is about to run. */
  readonly carries: boolean;
}

/** The migration that carries the legacy pattern rows over. */
export const CARRYING_MIGRATION = "2026-12-06-0016-adw-pattern-review";

/**
 * Reads what the migrations are about to change. `executed` holds the migrations that ran already
 * (undefined when none did, the only time the migrations set tables aside).
 */
export async function readSchemaBefore(
  db: AnyKysely,
  engine: Engine,
  executed: ReadonlySet<string> | undefined,
): Promise<SchemaBefore> {
  const fresh = executed === undefined;
  const renames: { from: string; to: string }[] = [];
  if (fresh) {
    for (const table of OWN_TABLES) {
      if (!(await engine.tableExists(db, table))) continue;
      // The same choice of name as the migrations' setAsideExistingTable.
      let legacy = `${table}_legacy`;
      for (let n = 2; await engine.tableExists(db, legacy); n++) legacy = `${table}_legacy_${n}`;
      renames.push({ from: table, to: legacy });
    }
  }
  return {
    historyColumns: await engine.columnNames(db, "workflow_history"),
    renames,
    carries: !(executed?.has(CARRYING_MIGRATION) ?? false),
  };
}

/** What the migrations changed since `before`; undefined when they changed nothing that existed. */
export async function readSchemaUpgrade(
  db: AnyKysely,
  engine: Engine,
  before: SchemaBefore,
): Promise<SchemaUpgrade | undefined> {
  const after = await engine.columnNames(db, "workflow_history");
  const columnsAdded =
    before.historyColumns.size === 0 ? [] : [...after].filter((column) => !before.historyColumns.has(column));
  const { carried, left } = before.carries ? await countCarriedPatterns(db, engine) : { carried: 0, left: 0 };
  if (before.renames.length === 0 && columnsAdded.length === 0 && carried === 0 && left === 0)
    return undefined;
  return {
    renamed: before.renames,
    columns_added: columnsAdded,
    patterns_carried: carried,
    patterns_left: left,
  };
}

async function countCarriedPatterns(
  db: AnyKysely,
  engine: Engine,
): Promise<{ carried: number; left: number }> {
  if (!(await engine.columnNames(db, "operation_patterns_legacy")).has("pattern_signature"))
    return { carried: 0, left: 0 };
  const { rows } = await sql<{ carried: number | string; total: number | string }>`
    select count(op.id) as carried, count(*) as total
    from operation_patterns_legacy legacy
    left join operation_patterns op on op.pattern_signature = legacy.pattern_signature`.execute(db);
  const carried = Number(rows[0]?.carried ?? 0);
  return { carried, left: Number(rows[0]?.total ?? 0) - carried };
}
