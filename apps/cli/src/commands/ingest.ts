import { assertTextFile, type IngestWorkflowsSummary, ingestWorkflows } from "@patternloop/ingest";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";
import { createProgress } from "../output/progress.js";
import { registerIngestClaudeCode } from "./ingest-claude-code.js";
import { registerIngestHooks } from "./ingest-hooks.js";

/**
 * Loads a JSON Lines file of workflow records into the database of `options`, each problem reported with its
 * line. The file is checked before the database is opened, so a missing one leaves no database behind.
 */
export async function loadWorkflows(
  file: string,
  options: DatabaseOption,
  onProblem: (line: number, problem: string) => void,
): Promise<IngestWorkflowsSummary> {
  assertTextFile(file);
  const progress = createProgress({ label: "ingest", unit: "runs read", bounded: false });
  try {
    return await withDatabase(options, { create: true }, (database) =>
      ingestWorkflows(database, file, { onProblem, onProgress: ({ read }) => progress.update(read) }),
    );
  } finally {
    progress.stop();
  }
}

export function describeIngestWorkflows(summary: IngestWorkflowsSummary): string {
  return (
    `${count(summary.read)} runs read: ${count(summary.inserted)} added, ${count(summary.already_present)} already present, ${count(summary.tool_calls)} tool calls` +
    `${summary.malformed > 0 ? `; ${count(summary.malformed)} malformed lines skipped` : ""}` +
    `${summary.failed > 0 ? `; ${count(summary.failed)} runs refused by the database` : ""}\n`
  );
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
      const summary = await reportingProblems((report) =>
        loadWorkflows(file, options, (line, problem) => report(`line ${line}: ${problem}`)),
      );
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : describeIngestWorkflows(summary));
      if (summary.malformed > 0 || summary.failed > 0) process.exitCode = EXIT.failed;
    });
  registerIngestClaudeCode(ingest);
  registerIngestHooks(ingest);
}
