import { escapeLogText } from "@patternloop/core";
import {
  type BackfillSummary,
  backfillPatterns,
  type PatternloopDatabase,
  type PatternRow,
  type SavingsAssumptions,
  savingsAssumptions,
  topPatterns,
} from "@patternloop/db";
import {
  activateUsedScripts,
  type CandidateThresholds,
  type ReplaySummary,
  replayPredictions,
} from "@patternloop/validator";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, elapsed } from "../output/format.js";
import { renderFoundPatterns } from "../output/found-patterns.js";
import { renderTopPatterns } from "../output/pattern-tables.js";
import { reportingProblems } from "../output/problem-log.js";
import { createProgress } from "../output/progress.js";
import { describeSavingsModel } from "../output/savings-model.js";
import { wholeNumberOption } from "../whole-number-option.js";
import { describeFollow, followBackfill, INTERVAL_SECONDS } from "./backfill-follow.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";
import { candidateThresholdsOf, type ThresholdOptions, withThresholdOptions } from "./threshold-options.js";

export interface BackfillCommandOptions extends DatabaseOption, SavingsOptions, ThresholdOptions {
  dryRun?: boolean;
  /** `--no-replay` sets it false: patterns only, no replayed predictions. */
  replay?: boolean;
  limit?: number;
  json?: boolean;
  verbose?: boolean;
  /** `--follow`: keep recording runs as they finish, until SIGINT or SIGTERM. */
  follow?: boolean;
  /** `--interval`: seconds between two looks while following. */
  interval?: number;
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
      options.dryRun || options.replay === false ? null : await replayWithProgress(database, thresholds);
    const activated = options.dryRun ? [] : await activateUsedScripts(database);
    return {
      ...summary,
      replay,
      activated: activated.map((move) => move.pattern_signature),
      // A dry run stores nothing: its top 10 is what it found (`found`), not what was stored before.
      top: options.dryRun ? [] : await topPatterns(db, 10, model),
      savings_model: await savingsAssumptions(db, model),
    };
  });
}

/** The replay of predictions over the history, with its own bar: on a long history it takes as long as detection. */
async function replayWithProgress(
  database: PatternloopDatabase,
  candidateThresholds: CandidateThresholds,
): Promise<ReplaySummary> {
  const progress = createProgress({ label: "replay", unit: "runs", bounded: true });
  try {
    return await replayPredictions(database, {
      candidateThresholds,
      onProgress: ({ walked, total }) => progress.update(walked, total),
    });
  } finally {
    progress.stop();
  }
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
        )
        .option(
          "--follow",
          "keep running: record runs as they finish, validate their predictions; stop with SIGINT/SIGTERM",
        )
        .option(
          "--interval <seconds>",
          `with --follow, seconds between two looks (${INTERVAL_SECONDS.min} to ${INTERVAL_SECONDS.max}, default ${INTERVAL_SECONDS.default})`,
          wholeNumberOption("--interval", { min: INTERVAL_SECONDS.min, max: INTERVAL_SECONDS.max }),
        ),
    ),
  ).action(async (options: BackfillCommandOptions) => {
    if (options.interval !== undefined && !options.follow)
      throw new CliError("--interval goes with --follow");
    if (options.follow) {
      const summary = await followBackfill(options);
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : describeFollow(summary));
      if (summary.errors > 0) process.exitCode = EXIT.failed;
      return;
    }
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
  if (report.dry_run && report.found.length > 0)
    return `${lines.join("\n")}\n\n${renderFoundPatterns(report.found.slice(0, 10))}`;
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
