import type { IdentifiedWorkflowRecord } from "@patternloop/core";
import { insertRuns } from "@patternloop/db";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { assertReadableFile } from "../io/read-lines.js";
import { readWorkflowRecords } from "../io/read-workflow-records.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";

export interface IngestSummary {
  read: number;
  inserted: number;
  already_present: number;
  tool_calls: number;
  malformed: number;
}

const BATCH = 500;

/**
 * Loads workflow records (JSON Lines) into `workflow_history` and its tool calls. Each batch is one
 * transaction; a run already stored is left as it is, so loading a file twice is the same as once.
 */
export async function ingestWorkflows(
  file: string,
  options: DatabaseOption,
  onMalformed: (line: number, problem: string) => void,
): Promise<IngestSummary> {
  assertReadableFile(file);
  const summary: IngestSummary = { read: 0, inserted: 0, already_present: 0, tool_calls: 0, malformed: 0 };
  await withDatabase(options, { create: true }, async ({ db }) => {
    let batch: IdentifiedWorkflowRecord[] = [];
    const flush = async () => {
      const result = await db.transaction().execute((trx) => insertRuns(trx, batch));
      summary.inserted += result.inserted;
      summary.already_present += result.existing;
      summary.tool_calls += result.toolCalls;
      batch = [];
    };
    for await (const line of readWorkflowRecords(file)) {
      if (!line.ok) {
        summary.malformed++;
        onMalformed(line.number, line.problem);
        continue;
      }
      summary.read++;
      batch.push(line.record);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
  });
  return summary;
}

export function registerIngest(program: Command): void {
  const ingest = program.command("ingest").description("load agent runs into a history database");
  ingest
    .command("workflows")
    .description("load workflow records (JSON Lines, one run per line) into workflow_history")
    .argument("<file>", "JSON Lines file of workflow records")
    .option("--db <url>", "database: SQLite file path, sqlite:…, or postgres://… (created if missing)")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, options: DatabaseOption & { json?: boolean }) => {
      const summary = await ingestWorkflows(file, options, (line, problem) =>
        process.stderr.write(`line ${line}: skipped: ${problem}\n`),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(summary)}\n`
          : `${summary.read} runs read: ${summary.inserted} added, ${summary.already_present} already present, ${summary.tool_calls} tool calls` +
              `${summary.malformed > 0 ? `; ${summary.malformed} malformed lines skipped` : ""}\n`,
      );
      if (summary.malformed > 0) process.exitCode = EXIT.failed;
    });
}
