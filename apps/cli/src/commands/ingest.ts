import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { insertRuns, isStorageFailure, refreshMonthlySavings } from "@patternloop/db";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { assertTextFile } from "../io/read-lines.js";
import { readWorkflowRecords } from "../io/read-workflow-records.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { reportingProblems } from "../output/problem-log.js";
import { registerIngestClaudeCode } from "./ingest-claude-code.js";
import { registerIngestHooks } from "./ingest-hooks.js";

export interface IngestSummary {
  read: number;
  inserted: number;
  already_present: number;
  tool_calls: number;
  malformed: number;
  /** Well-formed runs the database refused (reported with their line). */
  failed: number;
}

const BATCH = 500;

/**
 * Loads workflow records (JSON Lines) into `workflow_history` and its tool calls. Each batch is one
 * transaction; a run already stored is left as it is, so loading a file twice is the same as once.
 */
export async function ingestWorkflows(
  file: string,
  options: DatabaseOption,
  onProblem: (line: number, problem: string) => void,
): Promise<IngestSummary> {
  assertTextFile(file);
  const summary: IngestSummary = {
    read: 0,
    inserted: 0,
    already_present: 0,
    tool_calls: 0,
    malformed: 0,
    failed: 0,
  };
  await withDatabase(options, { create: true }, async ({ db }) => {
    const store = async (records: readonly NumberedRecord[]) => {
      const result = await db.transaction().execute((trx) =>
        insertRuns(
          trx,
          records.map((entry) => entry.record),
        ),
      );
      summary.inserted += result.inserted;
      summary.already_present += result.existing;
      summary.tool_calls += result.toolCalls;
    };
    // One transaction a batch; if the database refuses one, each run of it again alone, so one bad run costs
    // only itself. A busy, full or read-only database is no run's fault: each run alone would wait the busy
    // timeout and fail again, so it stops the command (the batches before stay; a rerun skips them).
    const flush = async (batch: NumberedRecord[]) => {
      try {
        await store(batch);
      } catch (error) {
        if (isStorageFailure(error)) throw error;
        for (const entry of batch) {
          try {
            await store([entry]);
          } catch (error) {
            if (isStorageFailure(error)) throw error;
            summary.failed++;
            onProblem(entry.number, `not stored: ${(error as Error).message}`);
          }
        }
      }
    };
    let batch: NumberedRecord[] = [];
    for await (const line of readWorkflowRecords(file)) {
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
      }
    }
    if (batch.length > 0) await flush(batch);
    // New runs may widen the history's span, which every pattern's monthly savings is divided by.
    if (summary.inserted > 0) await refreshMonthlySavings(db);
  });
  return summary;
}

type NumberedRecord = { number: number; record: IdentifiedWorkflowRecord };

export function registerIngest(program: Command): void {
  const ingest = program.command("ingest").description("load agent runs into a history database");
  ingest
    .command("workflows")
    .description("load workflow records (JSON Lines, one run per line) into workflow_history")
    .argument("<file>", "JSON Lines file of workflow records")
    .option("--db <url>", "database: SQLite file path, sqlite:…, or postgres://… (created if missing)")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, options: DatabaseOption & { json?: boolean }) => {
      const summary = await reportingProblems((report) =>
        ingestWorkflows(file, options, (line, problem) => report(`line ${line}: ${problem}`)),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(summary)}\n`
          : `${summary.read} runs read: ${summary.inserted} added, ${summary.already_present} already present, ${summary.tool_calls} tool calls` +
              `${summary.malformed > 0 ? `; ${summary.malformed} malformed lines skipped` : ""}` +
              `${summary.failed > 0 ? `; ${summary.failed} runs refused by the database` : ""}\n`,
      );
      if (summary.malformed > 0 || summary.failed > 0) process.exitCode = EXIT.failed;
    });
  registerIngestClaudeCode(ingest);
  registerIngestHooks(ingest);
}
