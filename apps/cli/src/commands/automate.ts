import { existsSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { automatePattern, PatternloopValidatorError } from "@patternloop/validator";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";

interface AutomateCommandOptions extends DatabaseOption {
  dir: string;
  hook?: boolean;
  dryRun?: boolean;
  force?: boolean;
  by?: string;
}

/** `automate <pattern>`: an approved pattern becomes a Claude Code skill with a script, in a project. */
export function registerAutomate(program: Command): void {
  program
    .command("automate")
    .description(
      "write a Claude Code skill (SKILL.md and a script running the pattern's most common command) for an approved pattern",
    )
    .argument("<pattern>", "pattern id or signature")
    .option("--dir <path>", "the project to write into", ".")
    .option(
      "--hook",
      "also add a PreToolUse hook to .claude/settings.json steering the raw command to the script",
    )
    .option("--dry-run", "print the files; write nothing")
    .option("--force", "overwrite files edited since patternloop wrote them")
    .option("--by <name>", "who marks the pattern implemented (default: the OS user)")
    .option("--db <url>", "history database")
    .action((pattern: string, options: AutomateCommandOptions) => {
      const projectDir = resolve(options.dir);
      if (!existsSync(projectDir) || !statSync(projectDir).isDirectory())
        throw new CliError(`--dir ${options.dir}: no such directory`);
      return withDatabase(options, { requireHistory: true }, async (database) => {
        let result: Awaited<ReturnType<typeof automatePattern>>;
        try {
          result = await automatePattern(database, pattern, {
            projectDir,
            hook: options.hook === true,
            dryRun: options.dryRun === true,
            force: options.force === true,
            by: options.by ?? userInfo().username,
          });
        } catch (error) {
          if (error instanceof PatternloopValidatorError)
            throw new CliError(error.message, undefined, { cause: error });
          throw error;
        }
        if (!result.ok) throw new CliError(result.problem);
        if (options.dryRun) {
          for (const file of result.files)
            process.stdout.write(
              `--- ${file.path} (${file.action}${file.executable ? ", executable" : ""})\n${file.content}`,
            );
          process.stderr.write("dry run: nothing written\n");
          return;
        }
        for (const file of result.files) process.stdout.write(`${file.action.padEnd(9)} ${file.path}\n`);
        for (const move of result.status_changes)
          process.stdout.write(`${move.pattern_signature}: ${move.from} → ${move.to}\n`);
        if (result.files.every((file) => file.action === "unchanged") && result.status_changes.length === 0)
          process.stderr.write("nothing changed\n");
      });
    });
}
