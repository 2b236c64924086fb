import { dirname } from "node:path";
import { type DetectedPattern, detectPatterns, escapeLogText } from "@patternloop/core";
import { type OtherFormat, readWorkflowRecords } from "@patternloop/ingest";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import type { DatabaseOption } from "../open-database.js";
import { count } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";
import { detectDatabase } from "./detect-database.js";
import type { DetectSummary } from "./detect-summary.js";

export interface DetectOptions extends DatabaseOption {
  json?: boolean;
}

/**
 * Detects the patterns of every record of a JSON Lines file, calling `emit` once per record;
 * malformed lines go to `onMalformed` and are skipped. A file whose first line belongs to another input
 * is not read further: each of its lines would be one more "skipped".
 */
export async function detectFile(
  file: string | undefined,
  emit: (workflowId: string, patterns: DetectedPattern[]) => void,
  onMalformed: (line: number, problem: string) => void,
): Promise<DetectSummary> {
  const summary: DetectSummary = { records: 0, withPatterns: 0, malformed: 0 };
  for await (const line of readWorkflowRecords(file)) {
    const first = summary.records === 0 && summary.malformed === 0;
    if (!line.ok && first && line.format !== undefined) return { ...summary, otherFormat: line.format };
    if (!line.ok) {
      summary.malformed++;
      onMalformed(line.number, line.problem);
      continue;
    }
    const patterns = detectPatterns(line.record);
    summary.records++;
    if (patterns.length > 0) summary.withPatterns++;
    emit(line.record.workflow_id, patterns);
  }
  return summary;
}

export function registerDetect(program: Command): void {
  program
    .command("detect")
    .description("detect the operation patterns of workflow records (JSON Lines) and say why")
    .argument("[file]", "JSON Lines file of workflow records, or - for standard input")
    .option("--json", "one JSON line per record on stdout")
    .option("--db <url>", "detect the finished runs of a history database instead (read only)")
    .action(async (file: string | undefined, options: DetectOptions) => {
      const emit = (workflowId: string, patterns: DetectedPattern[]) =>
        process.stdout.write(
          options.json ? `${toJsonLine(workflowId, patterns)}\n` : explain(workflowId, patterns),
        );
      if (options.db !== undefined && file !== undefined)
        throw new CliError("detect takes a file or --db, not both");
      const summary: DetectSummary =
        options.db !== undefined
          ? await detectDatabase(options, emit)
          : await reportingProblems((report) =>
              detectFile(file, emit, (line, problem) => report(`line ${line}: skipped: ${problem}`)),
            );
      if (summary.otherFormat !== undefined) throw new CliError(otherFormatLine(file, summary.otherFormat));
      process.stderr.write(
        `${count(summary.records)} records, ${count(summary.withPatterns)} with patterns${summary.malformed > 0 ? `, ${count(summary.malformed)} malformed lines skipped` : ""}\n`,
      );
      if (summary.malformed > 0) process.exitCode = EXIT.failed;
    });
}

/** The one line for an input of another kind, naming the command that reads it. */
function otherFormatLine(file: string | undefined, format: OtherFormat): string {
  const stdin = file === undefined || file === "-";
  const name = stdin ? "standard input" : escapeLogText(file);
  const directory = stdin ? "<its directory>" : escapeLogText(dirname(file));
  return format === "claude_code_transcript"
    ? `${name} is a Claude Code transcript, not workflow records: load it with \`patternloop ingest claude-code --dir ${directory}\`, then \`patternloop backfill\``
    : `${name} is a hook log, not workflow records: load it with \`patternloop ingest hooks ${stdin ? "-" : name}\`, then \`patternloop backfill\``;
}

function toJsonLine(workflowId: string, patterns: DetectedPattern[]): string {
  return JSON.stringify({
    workflow_id: workflowId,
    patterns: patterns.map((pattern) => ({
      signature: pattern.signature,
      evidence: pattern.evidence.map(({ source, text, rule }) => ({ source, text, rule })),
    })),
  });
}

const MAX_TEXT = 100;

/** The human lines of one record; what came from the input is escaped, so it stays on its own line. */
function explain(rawWorkflowId: string, patterns: DetectedPattern[]): string {
  const workflowId = escapeLogText(rawWorkflowId);
  if (patterns.length === 0) return `${workflowId}: no patterns\n`;
  const lines = [`${workflowId}: ${patterns.length} pattern${patterns.length === 1 ? "" : "s"}`];
  for (const pattern of patterns) {
    lines.push(`  ${escapeLogText(pattern.signature)}`);
    for (const evidence of pattern.evidence) {
      const where =
        evidence.tool_call_index === undefined
          ? evidence.source
          : `tool call #${evidence.tool_call_index + 1}`;
      lines.push(`    ${where}: ${clip(evidence.text)}  (${evidence.rule})`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return escapeLogText(flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat);
}
