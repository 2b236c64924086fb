import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * The modification time (ms since the epoch) an input had when it was read, so that an ingestion can tell an
 * unchanged file by its size and this time alone, without reading it to hash it.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "ingest_sources");
  if (!existing.has("modified_ms"))
    await db.schema.alterTable("ingest_sources").addColumn("modified_ms", "double precision").execute();
}
