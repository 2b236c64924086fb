import { DEFAULT_HOOK_URL, initClaudeCode } from "@patternloop/validator";
import { type Command, Option } from "commander";
import { CliError } from "../cli-error.js";

interface InitClaudeCodeCommandOptions {
  dir: string;
  user?: boolean;
  url: string;
  command?: boolean;
  print?: boolean;
  remove?: boolean;
}

/** `init claude-code`: patternloop's hooks into (or, with `--remove`, out of) Claude Code's settings. */
export function registerInit(program: Command): void {
  const init = program.command("init").description("connect an agent to the hook receiver");
  init
    .command("claude-code")
    .description(
      "add patternloop's hooks to .claude/settings.json (http hooks, Claude Code 2.1.63+), keeping everything else",
    )
    .option("--dir <path>", "the project whose .claude/settings.json to change", ".")
    .addOption(
      new Option("--user", "change ~/.claude/settings.json (all your projects) instead").conflicts("dir"),
    )
    .option("--url <url>", "the receiver's hook URL", DEFAULT_HOOK_URL)
    .option(
      "--command",
      "write command hooks that post with curl, for Claude Code before 2.1.63 (chosen by itself when `claude --version` is older)",
    )
    .option("--print", "print the resulting settings; write nothing")
    .option("--remove", "take patternloop's hooks out again")
    .action((options: InitClaudeCodeCommandOptions) => {
      const result = initClaudeCode({
        projectDir: options.dir,
        user: options.user === true,
        url: options.url,
        kind: options.command ? "command" : undefined,
        remove: options.remove === true,
        dryRun: options.print === true,
      });
      if (!result.ok) throw new CliError(result.problem);
      for (const note of result.notes) process.stderr.write(`patternloop: ${note}\n`);
      if (options.print) {
        process.stdout.write(result.text);
        process.stderr.write(
          `patternloop: ${result.path} would be ${describe(result.action)}; nothing written\n`,
        );
        return;
      }
      process.stdout.write(`${result.action.padEnd(9)} ${result.path}\n`);
      if (result.action === "unchanged") process.stderr.write("patternloop: nothing changed\n");
      else if (!options.remove) {
        process.stderr.write(
          `patternloop: ${result.kind} hooks for ${result.events.join(", ")} post to ${options.url}; Claude Code sends the token from $PATTERNLOOP_TOKEN\n`,
        );
        if (!process.env.PATTERNLOOP_TOKEN)
          process.stderr.write(
            "patternloop: PATTERNLOOP_TOKEN is not set here; set it where Claude Code runs\n",
          );
      }
    });
}

function describe(action: "create" | "update" | "unchanged" | "delete"): string {
  return { create: "created", update: "updated", unchanged: "left unchanged", delete: "deleted" }[action];
}
