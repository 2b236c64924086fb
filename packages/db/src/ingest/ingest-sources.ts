import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import type { Database } from "../schema/database.js";
import type { IngestSource } from "../schema/ingest-sources-table.js";

/** What is known of one input after ingesting it: its size (or the offset read up to) and a hash of its content. */
export interface IngestMark {
  kind: string;
  source: string;
  offset_bytes: number;
  content_hash: string | null;
  /** The input's modification time (ms since the epoch) when it was read, when it has one. */
  modified_ms?: number | null;
}

/**
 * The inputs of one kind ingested before, by source. Pass `sources` to read only those (in chunks, so any
 * number is fine); without it, every input of the kind.
 */
export async function readIngestSources(
  db: Kysely<Database>,
  kind: string,
  sources?: readonly string[],
): Promise<Map<string, IngestSource>> {
  const found = new Map<string, IngestSource>();
  const query = () => db.selectFrom("ingest_sources").selectAll().where("kind", "=", kind);
  if (sources === undefined) {
    for (const row of await query().execute()) found.set(row.source, row);
    return found;
  }
  for (const chunk of inChunks(sources)) {
    const rows = await query().where("source", "in", chunk).execute();
    for (const row of rows) found.set(row.source, row);
  }
  return found;
}

/**
 * Records how far an input has been ingested, in the caller's transaction (the one that stored what was read
 * from it, so the mark never gets ahead of the data).
 */
export async function markIngested(trx: Kysely<Database>, mark: IngestMark): Promise<void> {
  const updated_at = new Date().toISOString();
  await trx
    .insertInto("ingest_sources")
    .values({ ...mark, modified_ms: mark.modified_ms ?? null, updated_at })
    .onConflict((oc) =>
      oc.columns(["kind", "source"]).doUpdateSet({
        offset_bytes: mark.offset_bytes,
        content_hash: mark.content_hash,
        modified_ms: mark.modified_ms ?? null,
        updated_at,
      }),
    )
    .execute();
}
