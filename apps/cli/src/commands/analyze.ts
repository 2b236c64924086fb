import { escapeLogText } from "@patternloop/core";
import {
  patternDetails,
  recentPatterns,
  savingsAssumptions,
  scriptableHighValuePatterns,
  summarizePatterns,
  topPatterns,
  validationSummary,
  withScriptability,
} from "@patternloop/db";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { withDatabase } from "../open-database.js";
import { explainEmptyReport } from "../output/empty-report.js";
import { wrapText } from "../output/fit-width.js";
import { count, day, percent, usd } from "../output/format.js";
import { describePatternCommands } from "../output/pattern-commands.js";
import {
  renderHighValuePatterns,
  renderRecentPatterns,
  renderTopPatterns,
} from "../output/pattern-tables.js";
import { describeSavingsModel } from "../output/savings-model.js";
import { renderTable } from "../output/table.js";
import { type AnalyzeOptions, print, printEmpty, withAnalyzeOptions } from "./analyze-options.js";
import { registerRealizedAnalysis } from "./analyze-realized.js";
import { describeTally, registerValidationAnalyses } from "./analyze-validation.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";

type SavingsAnalyzeOptions = AnalyzeOptions & SavingsOptions;

export function registerAnalyze(program: Command): void {
  const analyze = program
    .command("analyze")
    .description("read the recorded patterns and the accuracy of their predictions");
  registerValidationAnalyses(analyze);
  registerRealizedAnalysis(analyze);

  withSavingsOptions(
    withAnalyzeOptions(
      analyze
        .command("summary")
        .description("total patterns, occurrences, monthly savings, patterns by status"),
    ),
  ).action((options: SavingsAnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const model = savingsModelOf(options);
      const { live, replayed } = await validationSummary(db);
      const summary = {
        ...(await summarizePatterns(db, model)),
        predictions: { live, replayed },
        savings_model: await savingsAssumptions(db, model),
      };
      print(options, summary, () =>
        [
          `patterns: ${count(summary.total_patterns)}`,
          `occurrences: ${count(summary.total_occurrences)}`,
          `potential monthly savings: ${usd(summary.potential_monthly_savings)}`,
          `by status: ${
            Object.entries(summary.patterns_by_status)
              .map(([status, n]) => `${status} ${count(n)}`)
              .join(", ") || "-"
          }`,
          "prediction accuracy:",
          describeTally("live at run start", live),
          describeTally("replayed over the history", replayed),
          describeSavingsModel(summary.savings_model),
        ].join("\n"),
      );
    }),
  );
  withSavingsOptions(
    withAnalyzeOptions(analyze.command("top").description("patterns by occurrences")),
  ).action((options: SavingsAnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const rows = await withScriptability(db, await topPatterns(db, options.limit, savingsModelOf(options)));
      if (rows.length === 0) return printEmpty(options, rows, await explainEmptyReport(db, "top", options));
      print(options, rows, () => renderTopPatterns(rows));
    }),
  );
  withSavingsOptions(
    withAnalyzeOptions(
      analyze
        .command("high-value")
        .description(
          "patterns by the monthly savings a script could reach (potential savings × scriptability), with savings per use",
        ),
    ),
  ).action((options: SavingsAnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const model = savingsModelOf(options);
      const rows = await scriptableHighValuePatterns(db, options.limit, model);
      if (rows.length === 0)
        return printEmpty(options, rows, await explainEmptyReport(db, "high-value", options));
      // The JSON stays a list of rows (scripts read it so); the assumptions are in `summary --json`.
      const assumptions = options.json ? undefined : await savingsAssumptions(db, model);
      print(options, rows, () =>
        assumptions === undefined
          ? renderHighValuePatterns(rows)
          : `${renderHighValuePatterns(rows)}\n${describeSavingsModel(assumptions)}`,
      );
    }),
  );
  withSavingsOptions(
    withAnalyzeOptions(analyze.command("recent").description("patterns by first seen, newest first")),
  ).action((options: SavingsAnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const rows = await recentPatterns(db, options.limit, savingsModelOf(options));
      if (rows.length === 0)
        return printEmpty(options, rows, await explainEmptyReport(db, "recent", options));
      print(options, rows, () => renderRecentPatterns(rows));
    }),
  );
  withSavingsOptions(
    withAnalyzeOptions(
      analyze
        .command("details")
        .description("every statistic of one pattern, with example runs")
        .argument("<pattern>", "pattern id or signature"),
    ),
  ).action((pattern: string, options: SavingsAnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const details = await patternDetails(db, pattern, savingsModelOf(options));
      if (details === undefined)
        throw new CliError(
          `no pattern ${JSON.stringify(pattern)}: give an id or a signature such as test:pytest:backend`,
        );
      print(options, details, () => describeDetails(details));
    }),
  );
}

function describeDetails(details: NonNullable<Awaited<ReturnType<typeof patternDetails>>>): string {
  const p = details.pattern;
  const lines = [
    `${p.pattern_signature}  (id ${p.id}, ${p.automation_status})`,
    `  runs: ${count(p.occurrence_count)}, confidence ${p.confidence_score.toFixed(1)}, first seen ${day(p.first_seen)}, last seen ${day(p.last_seen)}`,
    `  with the LLM: ${count(p.avg_tokens_with_llm)} tokens, ${usd(p.avg_cost_with_llm)} per use`,
    `  with a tool:  ${count(p.avg_tokens_with_tool)} tokens, ${usd(p.avg_cost_with_tool)} per use`,
    ...costLines(details),
    `  potential monthly savings: ${usd(p.potential_monthly_savings)}`,
    `  ${describeSavingsModel(details.savings_model).trimEnd()}`,
    `  prediction accuracy: ${percent(p.prediction_accuracy)} (${count(p.validated_count)} validated)`,
    `  typical request: ${escapeLogText(p.typical_input_pattern ?? "-")}`,
    ...describePatternCommands(details),
    "",
    "Example runs",
    renderTable(
      [
        { header: "workflow", value: (e: (typeof details.examples)[number]) => e.workflow_id },
        { header: "when", value: (e) => day(e.workflow_time) },
        { header: "status", value: (e) => e.status },
        { header: "cost", value: (e) => usd(e.cost_attributed), align: "right" },
        { header: "request", value: (e) => e.nl_input ?? "", shrink: 20 },
      ],
      details.examples,
    ),
  ];
  if (details.accuracy_history.length > 0) {
    lines.push(
      "Recent validated predictions",
      renderTable(
        [
          { header: "workflow", value: (e: (typeof details.accuracy_history)[number]) => e.workflow_id },
          { header: "confidence", value: (e) => e.predicted_confidence.toFixed(0), align: "right" },
          { header: "correct", value: (e) => (e.was_correct === 1 ? "yes" : "no") },
          { header: "validated", value: (e) => day(e.validated_at) },
          { header: "origin", value: (e) => (e.replayed === 1 ? "replayed" : "live") },
        ],
        details.accuracy_history,
      ),
    );
  }
  // Tables fit by cutting their free-text columns; the sentences wrap.
  return lines.map((line) => (line.includes("\n") ? line : wrapText(line))).join("\n");
}

/** Both cost figures where both exist: the operation's own turns (transcripts) and a share of run totals. */
function costLines(details: NonNullable<Awaited<ReturnType<typeof patternDetails>>>): string[] {
  const label = (attribution: string) =>
    attribution === "tool_calls" ? "its own tool calls (transcripts)" : "a share of run totals";
  return details.cost_by_attribution.map(
    (entry) =>
      `  measured as ${label(entry.attribution)}: ${count(entry.avg_tokens)} tokens, ${usd(entry.avg_cost)} per use over ${count(entry.occurrences)} runs`,
  );
}
