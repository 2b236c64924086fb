import { escapeLogText } from "@patternloop/core";
import {
  type BackfillSummary,
  backfillPatterns,
  type PatternRow,
  type SavingsAssumptions,
  savingsAssumptions,
  topPatterns,
} from "@patternloop/db";
import { activateUsedScripts, type ReplaySummary, replayPredictions } from "@patternloop/validator";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, elapsed } from "../output/format.js";
import { renderTopPatterns } from "../output/pattern-tables.js";
import { reportingProblems } from "../output/problem-log.js";
import { createProgress } from "../output/progress.js";
import { describeSavingsModel } from "../output/savings-model.js";
import { wholeNumberOption } from "../whole-number-option.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";
import { candidateThresholdsOf, type ThresholdOptions, withThresholdOptions } from "./threshold-options.js";

export interface BackfillCommandOptions extends DatabaseOption, SavingsOptions, ThresholdOptions {
  dryRun?: boolean;
  /** `--no-replay` sets it false: patterns only, no replayed predictions. */
  replay?: boolean;
  limit?: number;
  json?: boolean;
  verbose?: boolean;
}

export type BackfillReport = BackfillSummary & {
  /** The predictions replayed over the history, or null when none were (a dry run, `--no-replay`). */
  replay: ReplaySummary | null;
  /** Implemented patterns whose script a stored run has called, now `active`. */
  activated: string[];
  top: PatternRow[];
  savings_model: SavingsAssumptions;
};

/** Runs a backfill with progress on stderr; returns the summary and the top 10 patterns. */
export async function runBackfill(options: BackfillCommandOptions): Promise<BackfillReport> {
  // Read first: a share given wrong is refused before anything is written.
  const model = savingsModelOf(options);
  const thresholds = candidateThresholdsOf(options, model);
  // A dry run promises to write nothing at all: it reads the database as it is, never upgrading it.
  return withDatabase(options, { requireHistory: true, migrate: !options.dryRun }, async (database) => {
    const { db } = database;
    // --verbose prints a line per run instead: a bar redrawn between them would garble both.
    const progress = options.verbose
      ? undefined
      : createProgress({ label: "backfill", unit: "runs", bounded: true });
    const summary = await backfillPatterns(db, {
      dryRun: options.dryRun,
      limit: options.limit,
      onProgress: ({ processed, total, errors }) => progress?.update(processed + errors, total),
      onRun: options.verbose
        ? ({ workflow_id, signatures }) =>
            process.stderr.write(`${escapeLogText(workflow_id)}: ${signatures.join(", ") || "no patterns"}\n`)
        : undefined,
    });
    progress?.stop();
    await reportingProblems(async (report) => {
      for (const error of summary.error_details) report(`${error.workflow_id}: skipped: ${error.message}`);
    });
    // Predictions replayed over the history give patterns an accuracy, and so candidates, from the start.
    const replay =
      options.dryRun || options.replay === false
        ? null
        : await replayPredictions(database, { candidateThresholds: thresholds });
    const activated = options.dryRun ? [] : await activateUsedScripts(database);
    return {
      ...summary,
      replay,
      activated: activated.map((move) => move.pattern_signature),
      top: await topPatterns(db, 10, model),
      savings_model: await savingsAssumptions(db, model),
    };
  });
}

export function registerBackfill(program: Command): void {
  withThresholdOptions(
    withSavingsOptions(
      program
        .command("backfill")
        .description("detect the patterns of every finished run, oldest first, and record their statistics")
        .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…")
        .option("--dry-run", "detect and report, write nothing")
        .option("--limit <n>", "process at most N runs", wholeNumberOption("--limit", { min: 1 }))
        .option("--json", "print the summary as JSON on stdout")
        .option("--verbose", "a line per run on stderr")
        .option(
          "--no-replay",
          "do not replay predictions over the history (no prediction accuracy nor candidates until live runs)",
        ),
    ),
  ).action(async (options: BackfillCommandOptions) => {
    const report = await runBackfill(options);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : describeBackfill(report));
    if (report.errors > 0) process.exitCode = EXIT.failed;
  });
}

/** The closing summary of §5: processed / total, patterns, new patterns, errors, time, then the top 10. */
export function describeBackfill(report: BackfillReport): string {
  const lines = [
    `${report.dry_run ? "Dry run (nothing written): " : ""}processed ${count(report.processed)} of ${count(report.total)} runs` +
      `${report.already_processed > 0 ? ` (${count(report.already_processed)} done by an earlier backfill)` : ""} in ${elapsed(report.elapsed_ms)}`,
    `patterns detected: ${count(report.patterns_detected)}, new patterns: ${count(report.new_patterns)}, errors: ${count(report.errors)}`,
  ];
  if (report.replay !== null) lines.push(describeReplay(report.replay));
  if (report.activated.length > 0) lines.push(`scripts in use, now active: ${report.activated.join(", ")}`);
  if (report.top.length === 0) return `${lines.join("\n")}\n`;
  return `${lines.join("\n")}\n\nTop ${report.top.length} patterns\n${renderTopPatterns(report.top)}\n${describeSavingsModel(report.savings_model)}`;
}

function describeReplay(replay: ReplaySummary): string {
  const promoted = replay.promoted.map((change) => change.pattern_signature);
  return (
    `predictions replayed in time order: ${count(replay.predictions)} for ${count(replay.replayed_runs)} runs` +
    `${replay.already_predicted > 0 ? ` (${count(replay.already_predicted)} runs had predictions already)` : ""}; ` +
    `new candidates: ${promoted.length === 0 ? "none" : promoted.join(", ")}`
  );
}
