import {
  insertRunValuesBatch,
  isStorageFailure,
  loadInBulk,
  type PatternloopDatabase,
} from "@patternloop/db";
import { type ReadThread, readWorkflowRuns } from "./read-workflow-runs.js";
import type { RunLine } from "./run-line.js";

/** What {@link ingestWorkflows} did with a file. */
export interface IngestWorkflowsSummary {
  /** Well-formed runs read. */
  read: number;
  inserted: number;
  already_present: number;
  tool_calls: number;
  malformed: number;
  /** Well-formed runs the database refused (reported with their line). */
  failed: number;
}

export interface IngestWorkflowsOptions {
  /** Told of each line not stored: malformed, or refused by the database. */
  onProblem?: (line: number, problem: string) => void;
  /** Told, after each batch stored, how many well-formed runs have been read so far. */
  onProgress?: (progress: { read: number }) => void;
  /**
   * Where the file is read, parsed and checked: by default a worker thread for a large file (its lines are
   * parsed while the ones before are stored), the calling thread otherwise.
   */
  readThread?: ReadThread;
}

const BATCH = 500;

type StoredLine = Extract<RunLine, { ok: true }>;

/**
 * Loads workflow records (JSON Lines, one run per line) into the history with their tool calls. Each batch is
 * one transaction; a run already stored is left as it is, so loading a file twice is the same as once. A file
 * that is missing or binary is refused (a `PatternloopIngestError`) before anything is stored.
 *
 * ```ts
 * const summary = await ingestWorkflows(database, "workflows.jsonl");
 * console.log(`${summary.inserted} runs added`);
 * ```
 */
export async function ingestWorkflows(
  database: PatternloopDatabase,
  file: string,
  options: IngestWorkflowsOptions = {},
): Promise<IngestWorkflowsSummary> {
  const { db } = database;
  const onProblem = options.onProblem ?? (() => {});
  const summary: IngestWorkflowsSummary = {
    read: 0,
    inserted: 0,
    already_present: 0,
    tool_calls: 0,
    malformed: 0,
    failed: 0,
  };
  const store = async (lines: readonly StoredLine[]) => {
    const result = await insertRunValuesBatch(
      db,
      lines.map((line) => line.run),
    );
    summary.inserted += result.inserted;
    summary.already_present += result.existing;
    summary.tool_calls += result.toolCalls;
  };
  // One transaction a batch; if the database refuses one, each run of it again alone, so one bad run costs
  // only itself. A busy, full or read-only database is no run's fault: each run alone would wait the busy
  // timeout and fail again, so it stops the load (the batches before stay; loading again skips them).
  const flush = async (batch: StoredLine[]) => {
    try {
      await store(batch);
    } catch (error) {
      if (isStorageFailure(error)) throw error;
      for (const line of batch) {
        try {
          await store([line]);
        } catch (error) {
          if (isStorageFailure(error)) throw error;
          summary.failed++;
          onProblem(line.number, `not stored: ${(error as Error).message}`);
        }
      }
    }
  };
  await loadInBulk(db, async () => {
    let batch: StoredLine[] = [];
    for await (const line of readWorkflowRuns(file, options.readThread)) {
      if (!line.ok) {
        summary.malformed++;
        onProblem(line.number, `skipped: ${line.problem}`);
        continue;
      }
      summary.read++;
      batch.push(line);
      if (batch.length >= BATCH) {
        await flush(batch);
        batch = [];
        options.onProgress?.({ read: summary.read });
      }
    }
    if (batch.length > 0) await flush(batch);
    options.onProgress?.({ read: summary.read });
  });
  return summary;
}
