import { createDetector } from "@patternloop/core";
import { finishedRuns } from "@patternloop/db";
import { type BacktestResult, type BacktestRun, backtest } from "@patternloop/validator";
import type { Command } from "commander";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count, percent } from "../output/format.js";
import { renderTable } from "../output/table.js";

export type BacktestReport = BacktestResult & { skipped_without_times: number };

/** Replays the stored history in time order; runs without a start and an end time cannot be placed and are skipped. */
export async function runBacktest(options: DatabaseOption): Promise<BacktestReport> {
  const detect = createDetector();
  return withDatabase(options, { requireHistory: true }, async ({ db }) => {
    const history: BacktestRun[] = [];
    let skipped = 0;
    for await (const page of finishedRuns(db)) {
      for (const run of page) {
        if (!run.start_time || !run.end_time) {
          skipped++;
          continue;
        }
        history.push({
          workflow_id: run.workflow_id,
          start_time: run.start_time,
          end_time: run.end_time,
          nl_input: run.nl_input,
          workflow_template: run.workflow_template,
          actual: detect(run).map((pattern) => pattern.signature),
        });
      }
    }
    return { ...backtest(history), skipped_without_times: skipped };
  });
}

export function registerBacktest(program: Command): void {
  program
    .command("backtest")
    .description(
      "replay the history in time order, predicting each run only from runs that ended before it started",
    )
    .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…")
    .option("--json", "print the result as JSON")
    .action(async (options: DatabaseOption & { json?: boolean }) => {
      const report = await runBacktest(options);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : describeBacktest(report));
    });
}

const ratio = (value: number | null) => (value === null ? "-" : value.toFixed(3));

function describeBacktest(report: BacktestReport): string {
  const rows = [
    { name: "learned (micro)", ...report.learned.micro },
    { name: "learned (macro)", ...report.learned.macro },
    { name: "rules only (micro)", ...report.baseline.micro },
    { name: "rules only (macro)", ...report.baseline.macro },
  ];
  return [
    `${count(report.runs)} runs replayed in time order${report.skipped_without_times > 0 ? ` (${count(report.skipped_without_times)} without start and end times skipped)` : ""}`,
    renderTable(
      [
        { header: "predictor", value: (row: (typeof rows)[number]) => row.name },
        { header: "precision", value: (row) => ratio(row.precision), align: "right" },
        { header: "recall", value: (row) => ratio(row.recall), align: "right" },
        { header: "F1", value: (row) => ratio(row.f1), align: "right" },
      ],
      rows,
    ),
    "Per pattern (learned predictor, most frequent first)",
    renderTable(
      [
        { header: "pattern", value: (row: (typeof report.patterns)[number]) => row.signature },
        { header: "runs", value: (row) => count(row.support), align: "right" },
        { header: "precision", value: (row) => percent(row.precision), align: "right" },
        { header: "recall", value: (row) => percent(row.recall), align: "right" },
        { header: "F1", value: (row) => ratio(row.f1), align: "right" },
      ],
      report.patterns.slice(0, 20),
    ),
  ].join("\n");
}
