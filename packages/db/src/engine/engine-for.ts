import { PostgresAdapter, SqliteAdapter } from "kysely";
import type { AnyKysely, Engine } from "./engine.js";
import { postgresEngine } from "./postgres-engine.js";
import { sqliteEngine } from "./sqlite-engine.js";

/**
 * The engine behind a Kysely instance or transaction, told by its dialect's adapter.
 *
 * @example const from = engineFor(db).fromWithIndex("workflow_history", "workflow_history_finished_time_idx");
 */
export function engineFor(db: AnyKysely): Engine {
  const { adapter } = db.getExecutor();
  if (adapter instanceof PostgresAdapter) return postgresEngine;
  if (adapter instanceof SqliteAdapter) return sqliteEngine;
  throw new TypeError(`unsupported Kysely dialect adapter ${adapter.constructor.name}`);
}
