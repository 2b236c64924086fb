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

/** The options every analysis takes. */
export const withAnalyzeOptions = (command: Command) =>
  command
    .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…")
    .option("--limit <n>", "at most N rows", wholeNumberOption("--limit", { min: 1 }), 10)
    .option("--json", "JSON on stdout (column names of the tables)");
