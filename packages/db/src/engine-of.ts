import type { Kysely } from "kysely";
import { engineFor } from "./engine/engine-for.js";
import type { DatabaseEngine } from "./opened-database.js";

/**
 * The name of the engine behind a Kysely instance (or transaction). Queries of this package ask
 * `engineFor(db)` for what differs between the engines instead of branching on this name.
 */
// biome-ignore lint/suspicious/noExplicitAny: works for any schema, including migrations' Kysely<any>
export function engineOf(db: Kysely<any>): DatabaseEngine {
  return engineFor(db).name;
}
