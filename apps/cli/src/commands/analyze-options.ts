import type { Command } from "commander";
import type { DatabaseOption } from "../open-database.js";
import { wholeNumberOption } from "../whole-number-option.js";

export interface AnalyzeOptions extends DatabaseOption {
  limit: number;
  json?: boolean;
}

/** Data as JSON with `--json`, else the human rendering. */
export const print = (options: AnalyzeOptions, data: unknown, human: () => string) =>
  process.stdout.write(options.json ? `${JSON.stringify(data)}\n` : human());

/**
 * A report with nothing to show: nothing on stdout (with `--json`, `json`: an empty list, or the report's zero
 * figures), and on stderr why it is empty and what to run.
 */
export const printEmpty = (options: AnalyzeOptions, json: unknown, why: string) => {
  if (options.json) process.stdout.write(`${JSON.stringify(json)}\n`);
  process.stderr.write(`${why}\n`);
};

/** The options every analysis takes. */
export const withAnalyzeOptions = (command: Command) =>
  command
    .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…")
    .option("--limit <n>", "at most N rows", wholeNumberOption("--limit", { min: 1 }), 10)
    .option("--json", "JSON on stdout (column names of the tables)");
