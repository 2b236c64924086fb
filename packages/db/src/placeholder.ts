import type { DatabaseEngine } from "./opened-database.js";

/** The engine's placeholder for the bound value at `index` (from 0): `?` on SQLite, `$1`… on PostgreSQL. */
export function placeholder(engine: DatabaseEngine, index: number): string {
  return engine === "postgres" ? `$${index + 1}` : "?";
}
