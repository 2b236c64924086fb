import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { renderReport } from "@patternloop/dashboard";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";

interface ReportOptions extends DatabaseOption, SavingsOptions {
  html: string;
}

/** `report --html FILE`: the dashboard's views as one self-contained file that opens with no server. */
export function registerReport(program: Command): void {
  withSavingsOptions(
    program
      .command("report")
      .description(
        "write the dashboard's views as one self-contained HTML file (opens from disk, no network)",
      )
      .requiredOption("--html <file>", "the HTML file to write (replaced if it exists)")
      .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…"),
  ).action((options: ReportOptions) => {
    const file = resolve(options.html);
    if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory())
      throw new CliError(`--html: no directory ${JSON.stringify(dirname(file))} to write the report into`);
    if (existsSync(file) && statSync(file).isDirectory())
      throw new CliError(`--html: ${JSON.stringify(file)} is a directory; give a file name`);
    const savings = savingsModelOf(options);
    return withDatabase(options, { requireHistory: true }, async (database) => {
      const report = await renderReport(database, { savings });
      // Written beside the target, then moved over it: a reader never sees half a report.
      const partial = `${file}.${process.pid}.partial`;
      try {
        writeFileSync(partial, report.html);
        renameSync(partial, file);
      } finally {
        rmSync(partial, { force: true });
      }
      process.stderr.write(
        `patternloop: wrote ${file} (${report.patterns} patterns, ${report.pattern_pages} with a page of their own)\n`,
      );
    });
  });
}
