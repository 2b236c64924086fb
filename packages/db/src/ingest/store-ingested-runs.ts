import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import type { Kysely } from "kysely";
import { type UpsertRunsResult, upsertRuns } from "../runs/upsert-runs.js";
import type { Database } from "../schema/database.js";
import { type IngestMark, markIngested } from "./ingest-sources.js";

/** The runs read from some inputs (a session's transcript files), with what is known of the inputs. */
export interface IngestedRuns {
  kind: string;
  /** The inputs as they were read: source, size and content hash. */
  sources: readonly Omit<IngestMark, "kind">[];
  runs: readonly IdentifiedWorkflowRecord[];
  /** Some runs of the inputs were held back (e.g. by a `--since`): read the inputs again next time. */
  partial?: boolean;
}

export interface StoreIngestedRunsResult extends UpsertRunsResult {
  /** The inputs were not marked ingested: the next ingestion reads them again. */
  readAgain: boolean;
}

/**
 * Stores the runs read from some inputs and marks the inputs ingested, in one transaction, so the mark never
 * gets ahead of the data. Runs are upserted (see {@link upsertRuns}): an input that changed updates the runs
 * it holds. An input is left unmarked, to be read again next time, when some of its runs were held back or
 * one of them is still `running` (a session still being written): such a run is finished by a later
 * ingestion, never frozen as it was.
 */
export async function storeIngestedRuns(
  db: Kysely<Database>,
  input: IngestedRuns,
): Promise<StoreIngestedRunsResult> {
  const readAgain = input.partial === true || input.runs.some((run) => run.status === "running");
  return db.transaction().execute(async (trx) => {
    const stored = await upsertRuns(trx, input.runs);
    if (!readAgain)
      for (const source of input.sources) await markIngested(trx, { ...source, kind: input.kind });
    return { ...stored, readAgain };
  });
}
