import {
  accuracyByType,
  errorRates,
  type PredictionTally,
  patternMetrics,
  reliablePatterns,
  validationCoverage,
  validationSummary,
  validationTrend,
} from "@patternloop/db";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { withDatabase } from "../open-database.js";
import { explainEmptyReport } from "../output/empty-report.js";
import { count, percent } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { MAX_DAYS, wholeNumberOption } from "../whole-number-option.js";
import { type AnalyzeOptions, print, printEmpty, withAnalyzeOptions } from "./analyze-options.js";

/** One origin of predictions (live or replayed) on its own line, so the two are never read as one figure. */
export const describeTally = (origin: string, tally: PredictionTally) =>
  `  ${origin}: ${count(tally.predictions)} predictions, ${count(tally.validations)} validated, accuracy ${percent(tally.accuracy)}`;

const ratio = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : value.toFixed(3);

/** `analyze accuracy|trend|reliable|by-type|coverage`: how well predictions have done (§6). */
export function registerValidationAnalyses(analyze: Command): void {
  withAnalyzeOptions(
    analyze
      .command("accuracy")
      .description("validation summary, error rates and per-pattern precision / recall / F1"),
  ).action((options: AnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const summary = await validationSummary(db);
      const rates = await errorRates(db);
      const patterns = (await patternMetrics(db))
        .sort((a, b) => b.support - a.support)
        .slice(0, options.limit);
      if (summary.total_validations === 0)
        return printEmpty(
          options,
          { ...summary, ...rates, patterns },
          await explainEmptyReport(db, "accuracy", options),
        );
      print(options, { ...summary, ...rates, patterns }, () =>
        [
          `patterns: ${count(summary.total_patterns)} (${count(summary.patterns_with_predictions)} with predictions)`,
          `predictions: ${count(summary.total_predictions)}, validated: ${count(summary.total_validations)}, overall accuracy ${percent(summary.overall_accuracy)}`,
          describeTally("live at run start", summary.live),
          describeTally("replayed over the history", summary.replayed),
          `patterns above 70%: ${count(summary.patterns_above_70)}, above 90%: ${count(summary.patterns_above_90)}`,
          `false-positive rate ${percent(rates.false_positive_rate)}, false-negative rate ${percent(rates.false_negative_rate)}`,
          "",
          renderTable(
            [
              { header: "pattern", value: (row: (typeof patterns)[number]) => row.pattern_signature },
              { header: "support", value: (row) => count(row.support), align: "right" },
              { header: "precision", value: (row) => ratio(row.precision), align: "right" },
              {
                header: "95% interval",
                value: (row) =>
                  row.precision_interval === null
                    ? "-"
                    : `${ratio(row.precision_interval.lower)}–${ratio(row.precision_interval.upper)}`,
              },
              { header: "recall", value: (row) => ratio(row.recall), align: "right" },
              { header: "F1", value: (row) => ratio(row.f1), align: "right" },
            ],
            patterns,
          ),
        ].join("\n"),
      );
    }),
  );
  withAnalyzeOptions(
    analyze
      .command("trend")
      .description("validations, correct ones and accuracy per day")
      .option("--days <n>", "days back", wholeNumberOption("--days", { min: 1, max: MAX_DAYS }), 30),
  ).action((options: AnalyzeOptions & { days: number }) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const trend = await validationTrend(db, options.days);
      if (trend.length === 0)
        return printEmpty(options, trend, await explainEmptyReport(db, "trend", options));
      print(options, trend, () =>
        renderTable(
          [
            { header: "day", value: (row: (typeof trend)[number]) => row.day },
            { header: "validations", value: (row) => count(row.validations), align: "right" },
            { header: "correct", value: (row) => count(row.correct), align: "right" },
            { header: "accuracy", value: (row) => percent(row.accuracy), align: "right" },
          ],
          trend,
        ),
      );
    }),
  );
  withAnalyzeOptions(
    analyze
      .command("reliable")
      .description("patterns whose predictions proved right")
      .option("--min-accuracy <ratio>", "lowest prediction accuracy, 0–1", "0.7")
      .option("--min-occurrences <n>", "fewest runs", wholeNumberOption("--min-occurrences"), 5),
  ).action((options: AnalyzeOptions & { minAccuracy: string; minOccurrences: number }) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const minAccuracy = Number(options.minAccuracy);
      if (options.minAccuracy.trim() === "" || !(minAccuracy >= 0 && minAccuracy <= 1))
        throw new CliError(
          `--min-accuracy takes a ratio from 0 to 1, not ${JSON.stringify(options.minAccuracy)}`,
        );
      const rows = await reliablePatterns(db, {
        minAccuracy,
        minOccurrences: options.minOccurrences,
        limit: options.limit,
      });
      if (rows.length === 0)
        return printEmpty(options, rows, await explainEmptyReport(db, "reliable", options));
      print(options, rows, () =>
        renderTable(
          [
            { header: "pattern", value: (row: (typeof rows)[number]) => row.pattern_signature },
            { header: "accuracy", value: (row) => percent(row.prediction_accuracy), align: "right" },
            { header: "validated", value: (row) => count(row.validated_count), align: "right" },
            { header: "runs", value: (row) => count(row.occurrence_count), align: "right" },
            { header: "status", value: (row) => row.automation_status },
          ],
          rows,
        ),
      );
    }),
  );
  withAnalyzeOptions(analyze.command("by-type").description("prediction accuracy per pattern type")).action(
    (options: AnalyzeOptions) =>
      withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
        const rows = await accuracyByType(db);
        if (rows.length === 0)
          return printEmpty(options, rows, await explainEmptyReport(db, "by-type", options));
        print(options, rows, () =>
          renderTable(
            [
              { header: "type", value: (row: (typeof rows)[number]) => row.pattern_type },
              { header: "validations", value: (row) => count(row.validations), align: "right" },
              { header: "correct", value: (row) => count(row.correct), align: "right" },
              { header: "accuracy", value: (row) => percent(row.accuracy), align: "right" },
            ],
            rows,
          ),
        );
      }),
  );
  withAnalyzeOptions(
    analyze.command("coverage").description("share of completed runs that had predictions"),
  ).action((options: AnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const coverage = await validationCoverage(db);
      if (coverage.runs_with_predictions === 0)
        return printEmpty(options, coverage, await explainEmptyReport(db, "coverage", options));
      print(
        options,
        coverage,
        () =>
          `${count(coverage.runs_with_predictions)} of ${count(coverage.completed_runs)} completed runs had predictions (${percent(coverage.coverage)})\n`,
      );
    }),
  );
}
