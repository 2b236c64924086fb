import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { highValuePatterns, summarizePatterns } from "@patternloop/db";
import type { Command } from "commander";
import { withDatabase } from "../open-database.js";
import { count, usd } from "../output/format.js";
import { renderHighValuePatterns } from "../output/pattern-tables.js";
import { describeBackfill, runBackfill } from "./backfill.js";
import { ingestWorkflows } from "./ingest.js";

/** Real runs from permissively licensed public repositories, shipped with the CLI (see sample/NOTICE.md). */
export const SAMPLE_HISTORY = fileURLToPath(new URL("../../sample/workflows.jsonl", import.meta.url));
const DEFAULT_DEMO_DB = "patternloop-demo.sqlite";

/** Builds a fresh SQLite history from the bundled sample, backfills it and prints the analysis. */
export async function runDemo(file: string): Promise<string> {
  const path = resolve(file);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  process.stderr.write(
    `Building ${path} from the bundled sample of real Claude Code runs (${SAMPLE_HISTORY})\n`,
  );
  const ingested = await ingestWorkflows(SAMPLE_HISTORY, { db: path }, (line, problem) =>
    process.stderr.write(`sample line ${line}: ${problem}\n`),
  );
  process.stderr.write(
    `Loaded ${ingested.inserted} runs with ${ingested.tool_calls} tool calls; backfilling…\n`,
  );
  const report = await runBackfill({ db: path });
  return withDatabase({ db: path }, {}, async ({ db }) => {
    const summary = await summarizePatterns(db);
    const valuable = await highValuePatterns(db, 5);
    return [
      describeBackfill(report),
      `Most valuable to script (by potential monthly savings)\n${renderHighValuePatterns(valuable)}`,
      `${count(summary.total_patterns)} patterns, ${count(summary.total_occurrences)} occurrences, potential savings ${usd(summary.potential_monthly_savings)} a month.`,
      `Explore: pnpm patternloop analyze details ${valuable[0]?.pattern_signature ?? "test:pytest:backend"} --db ${file}`,
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
    .option("--db <file>", "SQLite file to (re)create", DEFAULT_DEMO_DB)
    .action(async (options: { db: string }) => {
      process.stdout.write(await runDemo(options.db));
    });
}
