import type { ColumnType, Insertable, Selectable, Updateable } from "kysely";

/**
 * `ingest_sources`: how far each input (e.g. a transcript file) has been ingested, so ingestion can resume
 * where it stopped. Primary key (kind, source).
 */
export interface IngestSourcesTable {
  /** The input, e.g. an absolute file path. */
  source: string;
  /** What kind of input it is, e.g. `claude-transcript`. */
  kind: string;
  /** Bytes already ingested. Defaults to 0. */
  offset_bytes: ColumnType<number, number | undefined, number>;
  /** Hash of the ingested prefix, to notice a rewritten file. */
  content_hash: string | null;
  /** The input's modification time (ms since the epoch) when it was read; null when not known. */
  modified_ms: ColumnType<number | null, number | null | undefined, number | null>;
  /** Defaults to now. */
  updated_at: ColumnType<string, string | undefined, string>;
}

/** An `ingest_sources` row as read. */
export type IngestSource = Selectable<IngestSourcesTable>;
/** An `ingest_sources` row to insert. */
export type NewIngestSource = Insertable<IngestSourcesTable>;
/** A change to an `ingest_sources` row. */
export type IngestSourceUpdate = Updateable<IngestSourcesTable>;
