import type { Database, PatternloopDatabase } from "@patternloop/db";
import { expect } from "vitest";

const TABLES: readonly (keyof Database)[] = [
  "workflow_history",
  "workflow_tool_calls",
  "operation_patterns",
  "pattern_occurrences",
  "pattern_predictions",
  "pattern_status_history",
  "ingest_sources",
  "claude_code_sessions",
  "hook_deliveries",
  "hook_inbox",
];

/** Every table's row count and rows (each as JSON, sorted), to compare a database before and after. */
export type DatabaseSnapshot = Record<string, { count: number; rows: string[] }>;

export async function snapshotDatabase(db: PatternloopDatabase["db"]): Promise<DatabaseSnapshot> {
  const snapshot: DatabaseSnapshot = {};
  for (const table of TABLES) {
    const rows = (await db.selectFrom(table).selectAll().execute()).map((row) => JSON.stringify(row)).sort();
    snapshot[table] = { count: rows.length, rows };
  }
  return snapshot;
}

/** Expects the database to hold exactly `before`, table by table, so that a failure names the table. */
export async function expectUnchanged(
  db: PatternloopDatabase["db"],
  before: DatabaseSnapshot,
): Promise<void> {
  const after = await snapshotDatabase(db);
  for (const table of Object.keys(before)) expect(after[table], `table ${table}`).toEqual(before[table]);
}
