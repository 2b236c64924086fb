import { type PatternloopDatabase, validationCoverage, validationSummary } from "@patternloop/db";
import { count } from "./format.js";

/** The reports that can come out empty, each for its own reason. */
export type EmptyReport =
  | "accuracy"
  | "trend"
  | "reliable"
  | "by-type"
  | "coverage"
  | "top"
  | "high-value"
  | "recent";

export interface EmptyReportContext {
  /** The `--db` given, repeated in the commands suggested (a URL, which may hold a password, is not). */
  db?: string;
  days?: number;
}

/**
 * Why a report has nothing to show and what to run to fill it, from what the database holds: no completed
 * runs, runs never backfilled, no predictions, predictions not validated yet, or rows the report's own
 * filter left out.
 */
export async function explainEmptyReport(
  db: PatternloopDatabase["db"],
  report: EmptyReport,
  context: EmptyReportContext = {},
): Promise<string> {
  const on = context.db === undefined ? "" : context.db.includes("://") ? " --db …" : ` --db ${context.db}`;
  const { completed_runs } = await validationCoverage(db);
  if (completed_runs === 0)
    return `no completed runs in the history yet: load some with \`patternloop ingest workflows FILE${on}\` or \`patternloop ingest claude-code${on}\`, then run \`patternloop backfill${on}\``;
  const summary = await validationSummary(db);
  if (summary.total_patterns === 0)
    return `no patterns recorded yet among ${count(completed_runs)} completed runs: run \`patternloop backfill${on}\` (\`patternloop detect\` shows what a run's records hold)`;
  if (report === "top" || report === "recent" || report === "high-value") return "nothing to show";
  const predictions = `\`patternloop backfill${on}\` replays them over the history (unless --no-replay), and \`patternloop serve\` records them for live runs`;
  if (summary.total_predictions === 0) return `no predictions yet: ${predictions}`;
  if (report === "coverage")
    return `none of the ${count(completed_runs)} completed runs had predictions: ${predictions}`;
  if (summary.total_validations === 0)
    return `${count(summary.total_predictions)} predictions, none validated yet: a prediction is checked when its run completes`;
  if (report === "trend")
    return `no validations in the last ${count(context.days ?? 0)} days: a larger --days reaches older ones`;
  if (report === "reliable")
    return "no pattern reaches --min-accuracy over --min-occurrences runs: lower them to see more";
  return "nothing to show";
}
