import { type IngestHooksSummary, ingestHookLog, readHookLog } from "@patternloop/ingest";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";

export interface IngestHooksOptions extends DatabaseOption {
  json?: boolean;
  verbose?: boolean;
  /** Leaves running the runs of sessions still open at the end of the log (a log still being written). */
  leaveOpen?: boolean;
}

/**
 * Reads the whole log first, so that a missing or binary file leaves no database behind, then replays it
 * into the database of `options`.
 */
export async function loadHookLog(
  file: string,
  options: IngestHooksOptions,
  onProblem: (line: number, problem: string) => void,
  log: (line: string) => void,
): Promise<IngestHooksSummary> {
  const hookLog = await readHookLog(file, onProblem);
  return withDatabase(options, { create: true }, (database) =>
    ingestHookLog(database, hookLog, { leaveOpen: options.leaveOpen, log }),
  );
}

export function describeIngestHooks(summary: IngestHooksSummary): string {
  const events = Object.entries(summary.events)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${action} ${count(n)}`)
    .join(", ");
  return (
    `${count(summary.lines)} payloads in ${count(summary.sessions)} sessions: ${events || "none"}\n` +
    `runs started: ${count(summary.runs)}, tool calls added: ${count(summary.tool_calls)}` +
    `${summary.closed_idle > 0 ? `, runs closed at their session's last event: ${count(summary.closed_idle)}` : ""}` +
    `${summary.malformed > 0 ? `; ${count(summary.malformed)} malformed lines skipped` : ""}\n`
  );
}

/** `patternloop ingest hooks`, under the `ingest` command. */
export function registerIngestHooks(ingest: Command): void {
  ingest
    .command("hooks")
    .description(
      "replay a log of Claude Code hook payloads (JSON Lines) through the hook receiver; a run still open " +
        "after its session's last payload in the log (no Stop came) is closed then, as `serve` closes a " +
        "session idle for --idle-timeout",
    )
    .argument("<file>", "JSON Lines file of hook payloads (`-` for standard input)")
    .option("--db <url>", "database: SQLite file path, sqlite:…, or postgres://… (created if missing)")
    .option("--json", "print the summary as JSON")
    .option("--verbose", "print the validation log lines on stderr")
    .option("--leave-open", "leave running the runs still open at the end of the log (sessions going on)")
    .action(async (file: string, options: IngestHooksOptions) => {
      const summary = await reportingProblems((report) =>
        loadHookLog(
          file,
          options,
          (line, problem) => report(`line ${line}: ${problem}`),
          (line) => {
            if (options.verbose) process.stderr.write(`${line}\n`);
          },
        ),
      );
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : describeIngestHooks(summary));
      if (summary.malformed > 0) process.exitCode = EXIT.failed;
    });
}
