import { AUTOMATION_STATUSES, type AutomationStatus, patternsByStatus } from "@patternloop/db";
import {
  changeStatus,
  detectedWithMisses,
  nearestToPromotion,
  PatternloopValidatorError,
} from "@patternloop/validator";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, percent, usd } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { describeMisses, NEAREST } from "./review-misses.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";
import { candidateThresholdsOf, type ThresholdOptions, withThresholdOptions } from "./threshold-options.js";

interface ReviewOptions extends DatabaseOption, SavingsOptions, ThresholdOptions {
  by?: string;
  note?: string;
  at?: string;
  json?: boolean;
}

const MOVES: Record<string, { to: AutomationStatus; description: string }> = {
  approve: { to: "approved", description: "approve a candidate for automation (needs --by and --note)" },
  reject: { to: "detected", description: "send a candidate back to detected" },
  implement: { to: "implemented", description: "mark an approved pattern as scripted" },
  activate: { to: "active", description: "mark an implemented pattern's script as in use" },
  deprecate: { to: "deprecated", description: "retire a pattern, whatever its status" },
};

/** `review list|approve|reject|implement|activate|deprecate`: the automation status lifecycle of §4. */
export function registerReview(program: Command): void {
  const review = program
    .command("review")
    .description("review automation candidates and move patterns through their lifecycle");
  withThresholdOptions(
    withSavingsOptions(
      review
        .command("list")
        .description(
          "patterns by automation status (candidates by default, then the detected patterns nearest to " +
            "promotion with the thresholds each misses)",
        )
        .option("--status <status>", `one of ${AUTOMATION_STATUSES.join(", ")}`, "candidate")
        .option("--db <url>", "history database")
        .option("--json", "JSON on stdout (detected patterns carry the thresholds they miss)"),
    ),
  ).action((options: ReviewOptions & { status: string }) => {
    if (!(AUTOMATION_STATUSES as readonly string[]).includes(options.status)) {
      throw new CliError(
        `unknown status ${JSON.stringify(options.status)}: use one of ${AUTOMATION_STATUSES.join(", ")}`,
      );
    }
    const status = options.status as AutomationStatus;
    const thresholds = candidateThresholdsOf(options, savingsModelOf(options));
    return withDatabase(options, { requireHistory: true }, async (database) => {
      const rows =
        status === "detected"
          ? await detectedWithMisses(database, thresholds)
          : await patternsByStatus(database.db, status, thresholds.savingsModel);
      if (options.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
      const table =
        rows.length === 0
          ? `no ${status} patterns\n`
          : renderTable(
              [
                { header: "pattern", value: (row: (typeof rows)[number]) => row.pattern_signature },
                { header: "runs", value: (row) => count(row.occurrence_count), align: "right" },
                { header: "confidence", value: (row) => row.confidence_score.toFixed(1), align: "right" },
                {
                  header: "scriptable/month",
                  value: (row) => usd(row.scriptable_monthly_savings),
                  align: "right",
                },
                {
                  header: "savings/month",
                  value: (row) => usd(row.potential_monthly_savings),
                  align: "right",
                },
                {
                  header: "accuracy",
                  value: (row) => `${percent(row.prediction_accuracy)} of ${row.validated_count}`,
                  align: "right",
                },
              ],
              rows,
            );
      process.stdout.write(table);
      if (status !== "candidate") return;
      const nearest = await nearestToPromotion(database, thresholds, NEAREST);
      if (nearest.length > 0) process.stdout.write(`\n${describeMisses(nearest, thresholds)}`);
    });
  });
  for (const [verb, move] of Object.entries(MOVES)) {
    review
      .command(verb)
      .description(move.description)
      .argument("<pattern>", "pattern id or signature")
      .requiredOption("--by <name>", "who decides")
      .option("--note <text>", "why")
      .option("--at <time>", "when it happened, an ISO time (default now)")
      .option("--db <url>", "history database")
      .action((pattern: string, options: ReviewOptions) =>
        withDatabase(options, { requireHistory: true }, async (database) => {
          try {
            const result = await changeStatus(database, pattern, move.to, {
              by: options.by ?? "",
              note: options.note ?? null,
              at: options.at,
            });
            process.stdout.write(`${result.pattern_signature}: ${result.from} → ${result.to}\n`);
          } catch (error) {
            if (error instanceof PatternloopValidatorError)
              throw new CliError(error.message, undefined, { cause: error });
            throw error;
          }
        }),
      );
  }
}
