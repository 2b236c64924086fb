import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { isoNow, setAsideExistingTable } from "./migration-helpers.js";

/** `ingest_sources`: how far each input has been ingested, keyed by (kind, source). */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "ingest_sources");
  await db.schema
    .createTable("ingest_sources")
    .addColumn("source", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("offset_bytes", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("content_hash", "text")
    .addColumn("updated_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addPrimaryKeyConstraint("ingest_sources_pkey", ["kind", "source"])
    .execute();
}
