import { resolve } from "node:path";
import {
  inspectDemoTarget,
  markDemoDatabase,
  removeSqliteFile,
  replaceSqliteFile,
  scriptableHighValuePatterns,
  summarizePatterns,
} from "@patternloop/db";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { withDatabase } from "../open-database.js";
import { count, usd } from "../output/format.js";
import { renderHighValuePatterns } from "../output/pattern-tables.js";
import { SAMPLE_HISTORY } from "../package-files.js";
import { describeBackfill, runBackfill } from "./backfill.js";
import { loadWorkflows } from "./ingest.js";

const DEFAULT_DEMO_DB = "patternloop-demo.sqlite";

/**
 * Builds a fresh SQLite history from the bundled sample, backfills it and prints the analysis. The file is
 * built beside the target and renamed over it once complete, so the target is never half-written; an
 * existing target is replaced only if it is a database a demo built (see `inspectDemoTarget`).
 */
export async function runDemo(file: string): Promise<string> {
  const path = resolve(file);
  const target = await inspectDemoTarget(path);
  if (target.kind === "other")
    throw new CliError(
      `not replacing ${path}: ${target.reason}; demo only replaces a database it built (pass another --db)`,
    );
  process.stderr.write(
    `Building ${path} from the bundled sample of real Claude Code runs (${SAMPLE_HISTORY})\n`,
  );
  // One fixed name, so that a build an interrupted demo left behind is cleared by the next one.
  const building = `${path}.building`;
  let report: Awaited<ReturnType<typeof runBackfill>>;
  try {
    await removeSqliteFile(building);
    const ingested = await loadWorkflows(SAMPLE_HISTORY, { db: building }, (line, problem) =>
      process.stderr.write(`sample line ${line}: ${problem}\n`),
    );
    process.stderr.write(
      `Loaded ${count(ingested.inserted)} runs with ${count(ingested.tool_calls)} tool calls; backfilling…\n`,
    );
    report = await runBackfill({ db: building });
    await withDatabase({ db: building }, {}, ({ db }) => markDemoDatabase(db));
    await replaceSqliteFile(building, path);
  } finally {
    await removeSqliteFile(building);
  }
  return withDatabase({ db: path }, {}, async ({ db }) => {
    const summary = await summarizePatterns(db);
    const valuable = await scriptableHighValuePatterns(db, 5);
    return [
      describeBackfill(report),
      `Most valuable to script (by the monthly savings a script could reach)\n${renderHighValuePatterns(valuable)}`,
      `${count(summary.total_patterns)} patterns, ${count(summary.total_occurrences)} occurrences, potential savings ${usd(summary.potential_monthly_savings)} a month.`,
      `Explore: patternloop analyze details ${valuable[0]?.pattern_signature ?? "test:pytest:backend"} --db ${file}`,
      "",
    ].join("\n");
  });
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "build a SQLite history from the bundled sample of real runs, backfill it and show the analysis",
    )
    .option("--db <file>", "SQLite file to create (or to replace, if a demo built it)", DEFAULT_DEMO_DB)
    .action(async (options: { db: string }) => {
      process.stdout.write(await runDemo(options.db));
    });
}
