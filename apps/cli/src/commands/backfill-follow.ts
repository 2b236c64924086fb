import { constants } from "node:os";
import { escapeLogText } from "@patternloop/core";
import type { BackfilledRun } from "@patternloop/db";
import { FOLLOW_INTERVAL_MS, type FollowSummary, followHistory } from "@patternloop/validator";
import { CliError } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, elapsed } from "../output/format.js";
import { type SavingsOptions, savingsModelOf } from "./savings-options.js";
import { candidateThresholdsOf, type ThresholdOptions } from "./threshold-options.js";

/** The backfill options following reads (the backfill command's, seen from here). */
export interface FollowCommandOptions extends DatabaseOption, SavingsOptions, ThresholdOptions {
  dryRun?: boolean;
  limit?: number;
  verbose?: boolean;
  /** Seconds between two looks. */
  interval?: number;
}

/** `--interval` in seconds: bounded, so that following is never a busy loop nor a silent hour. */
export const INTERVAL_SECONDS = {
  min: FOLLOW_INTERVAL_MS.min / 1000,
  default: FOLLOW_INTERVAL_MS.default / 1000,
  max: FOLLOW_INTERVAL_MS.max / 1000,
};

/**
 * `backfill --follow`: records the runs that finish in the history, whoever writes them, until SIGINT or
 * SIGTERM; then finishes the batch being written and returns the summary. A second signal exits at once
 * (the batch being written rolls back, as after any interruption).
 */
export async function followBackfill(options: FollowCommandOptions): Promise<FollowSummary> {
  if (options.dryRun || options.limit !== undefined)
    throw new CliError("--follow records every run that finishes: it takes neither --dry-run nor --limit");
  const model = savingsModelOf(options);
  const thresholds = candidateThresholdsOf(options, model);
  const stop = new AbortController();
  const onSignal = (signal: "SIGINT" | "SIGTERM") => {
    if (stop.signal.aborted) process.exit(128 + constants.signals[signal]);
    process.stderr.write(`patternloop: ${signal}: stopping after the batch being written\n`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    // Waits for another process's write lock between timers, given up at once on a stop.
    return await withDatabase(
      options,
      { requireHistory: true, lockWait: { endedBy: stop.signal } },
      async (database) => {
        const seconds = options.interval ?? INTERVAL_SECONDS.default;
        process.stderr.write(
          `following ${database.url}: finished runs recorded every ${seconds} s; stop with Ctrl-C or SIGTERM\n`,
        );
        return followHistory(database, {
          signal: stop.signal,
          intervalMs: seconds * 1000,
          candidateThresholds: thresholds,
          onRun: options.verbose ? (run) => process.stderr.write(describeRun(run)) : undefined,
          onError: (error) =>
            process.stderr.write(
              `${escapeLogText(error.workflow_id)}: skipped: ${escapeLogText(error.message)}\n`,
            ),
          onStorageFailure: (error) =>
            process.stderr.write(
              `patternloop: ${escapeLogText(error.message)}; trying again at the next look\n`,
            ),
        });
      },
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function describeRun(run: BackfilledRun): string {
  const validated = run.validated > 0 ? `; predictions validated: ${count(run.validated)}` : "";
  return `${escapeLogText(run.workflow_id)}: ${run.status}: ${run.signatures.join(", ") || "no patterns"}${validated}\n`;
}

/** The closing summary of a follow. */
export function describeFollow(summary: FollowSummary): string {
  return (
    `followed for ${elapsed(summary.elapsed_ms)}: recorded ${count(summary.processed)} runs ` +
    `(${count(summary.completed)} completed, ${count(summary.failed)} failed)\n` +
    `patterns detected: ${count(summary.patterns_detected)}, new patterns: ${count(summary.new_patterns)}, ` +
    `predictions validated: ${count(summary.validated_predictions)}, ` +
    `new candidates: ${summary.promoted.length === 0 ? "none" : summary.promoted.join(", ")}, ` +
    `errors: ${count(summary.errors)}\n`
  );
}
