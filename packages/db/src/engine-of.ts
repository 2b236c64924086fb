import { type Kysely, PostgresAdapter, SqliteAdapter } from "kysely";
import type { DatabaseEngine } from "./opened-database.js";

/**
 * The engine behind a Kysely instance (or transaction), for the few queries that must differ, e.g.
 * `max(a, b)` on SQLite versus `greatest(a, b)` on PostgreSQL.
 *
 * @example const later = engineOf(db) === "postgres" ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`;
 */
// biome-ignore lint/suspicious/noExplicitAny: works for any schema, including migrations' Kysely<any>
export function engineOf(db: Kysely<any>): DatabaseEngine {
  const { adapter } = db.getExecutor();
  if (adapter instanceof PostgresAdapter) return "postgres";
  if (adapter instanceof SqliteAdapter) return "sqlite";
  throw new TypeError(`unsupported Kysely dialect adapter ${adapter.constructor.name}`);
}
