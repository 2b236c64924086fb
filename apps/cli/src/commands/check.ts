import { checkIntegrity } from "@patternloop/db";
import type { Command } from "commander";
import { EXIT } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count } from "../output/format.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("integrity check: orphans, counts and every statistic against a full recount")
    .option("--db <url>", "history database: SQLite file path, sqlite:…, or postgres://…")
    .option("--json", "print the report as JSON")
    .action((options: DatabaseOption & { json?: boolean }) =>
      withDatabase(options, { requireHistory: true }, async ({ db }) => {
        const report = await checkIntegrity(db);
        if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          process.stdout.write(
            `${count(report.workflows)} runs, ${count(report.patterns)} patterns, ${count(report.occurrences)} occurrences, ${count(report.predictions)} predictions\n`,
          );
          for (const violation of report.violations)
            process.stdout.write(`VIOLATION ${violation.code}: ${violation.message}\n`);
          process.stdout.write(
            report.violations.length === 0
              ? "integrity: ok\n"
              : `integrity: ${count(report.violations.length)} violations\n`,
          );
        }
        if (report.violations.length > 0) process.exitCode = EXIT.failed;
      }),
    );
}
