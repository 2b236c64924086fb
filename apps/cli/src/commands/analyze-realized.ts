import { DEFAULT_LEVEL, DEFAULT_RESAMPLES, type Interval, MIN_RUNS, MIN_USES } from "@patternloop/core";
import { type PatternRealizedSavings, realizedSavings } from "@patternloop/db";
import type { Command } from "commander";
import { withDatabase } from "../open-database.js";
import { count, day, percent } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { type AnalyzeOptions, print, printEmpty, withAnalyzeOptions } from "./analyze-options.js";

/** `analyze realized`: what the implemented patterns' automations saved since they went in, if anything. */
export function registerRealizedAnalysis(analyze: Command): void {
  withAnalyzeOptions(
    analyze
      .command("realized")
      .description("realized savings: runs after each implemented pattern's activation against runs before"),
  ).action((options: AnalyzeOptions) =>
    withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
      const rows = (await realizedSavings(db)).slice(0, options.limit);
      if (rows.length === 0)
        return printEmpty(
          options,
          rows,
          "no implemented or active patterns: mark one with `patternloop review implement`, or write its skill with `patternloop automate`",
        );
      print(options, rows, () => `${rows.map(describePattern).join("\n")}\n${RULE}\n`);
    }),
  );
}

const RULE = [
  `Saving = cost attributed to the operation per run (runs without it count 0), before − after, with a`,
  `${DEFAULT_LEVEL * 100}% bootstrap interval (${count(DEFAULT_RESAMPLES)} seeded resamples); shown only when the interval excludes 0.`,
  `Not enough runs yet: fewer than ${count(MIN_RUNS)} runs on a side, fewer than ${count(MIN_USES)} costed uses before, or an`,
  "interval wider than the cost per run before.",
].join("\n");

function describePattern(row: PatternRealizedSavings): string {
  const script = row.tool_script_path === null ? "no script recorded" : `script ${row.tool_script_path}`;
  const figures = renderTable(
    [
      { header: "", value: (line: Line) => line.name },
      { header: "before", value: (line) => line.before, align: "right" },
      { header: "after", value: (line) => line.after, align: "right" },
    ],
    [
      { name: "runs", before: count(row.before.runs), after: count(row.after.runs) },
      { name: "ran the raw command", before: count(row.before.raw_runs), after: count(row.after.raw_runs) },
      { name: "ran the script", before: count(row.before.script_runs), after: count(row.after.script_runs) },
      {
        name: "script share",
        before: percent(row.before.script_share),
        after: percent(row.after.script_share),
      },
      { name: "cost per use", before: usd(row.before.cost_per_use), after: usd(row.after.cost_per_use) },
      { name: "cost per run", before: usd(row.before.cost_per_run), after: usd(row.after.cost_per_run) },
    ],
  );
  return [
    `${row.pattern_signature} — ${row.automation_status} since ${day(row.activated_at)}, ${script}`,
    figures.trimEnd(),
    verdictLine(row),
    "",
  ].join("\n");
}

interface Line {
  name: string;
  before: string;
  after: string;
}

/** USD to a hundredth of a cent: an operation's cost per run is often under a cent. */
const usd = (value: number | null) =>
  value === null ? "-" : `${value < 0 ? "-" : ""}$${Math.abs(value).toFixed(4)}`;

const range = (interval: Interval | null, format: (value: number) => string) =>
  interval === null ? "-" : `${format(interval.lower)} to ${format(interval.upper)}`;

function verdictLine(row: PatternRealizedSavings): string {
  const money = range(row.interval, usd);
  switch (row.verdict) {
    case "saving":
      return `saving: ${usd(row.saving_per_run)} per run (interval ${money}), ${percent(row.relative_saving)} of the cost per run before (interval ${range(row.relative_interval, percent)})`;
    case "cost_rose":
      return `no saving: the operation costs ${usd(-row.saving_per_run)} more per run (interval of the saving ${money})`;
    case "no_saving_shown":
      return `no saving shown: the interval of the saving per run (${money}) includes 0`;
    case "not_enough_runs":
      return `not enough runs yet: ${row.reason}`;
  }
}
