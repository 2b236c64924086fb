import { readFileSync } from "node:fs";
import tab from "@bomb.sh/tab/commander";
import { Command, CommanderError } from "commander";
import { EXIT } from "./cli-error.js";
import { registerAnalyze } from "./commands/analyze.js";
import { registerAutomate } from "./commands/automate.js";
import { registerBackfill } from "./commands/backfill.js";
import { registerBacktest } from "./commands/backtest.js";
import { registerCheck } from "./commands/check.js";
import { registerDemo } from "./commands/demo.js";
import { registerDetect } from "./commands/detect.js";
import { registerGenerate } from "./commands/generate.js";
import { registerIngest } from "./commands/ingest.js";
import { registerInit } from "./commands/init.js";
import { registerPredict } from "./commands/predict.js";
import { registerReport } from "./commands/report.js";
import { registerReview } from "./commands/review.js";
import { registerServe } from "./commands/serve.js";
import { describeFailure } from "./describe-failure.js";

/** Builds the `patternloop` command tree. */
export function createProgram(): Command {
  const program = new Command("patternloop")
    .description("Find the operations AI coding agents keep redoing, what they cost, and which to script.")
    .version(packageVersion(), "-V, --version", "print the version of patternloop")
    .option("--no-color", "no colour in the output (as NO_COLOR=1 does)")
    .showHelpAfterError()
    .exitOverride();
  // Through the environment, so that every part that colours (tables, libraries) reads the one setting.
  program.hook("preAction", () => {
    if (program.opts().color === false) process.env.NO_COLOR = "1";
  });
  registerDemo(program);
  registerDetect(program);
  registerIngest(program);
  registerBackfill(program);
  registerAnalyze(program);
  registerCheck(program);
  registerPredict(program);
  registerBacktest(program);
  registerReview(program);
  registerAutomate(program);
  registerServe(program);
  registerInit(program);
  registerReport(program);
  registerGenerate(program);
  // Last, so that it sees every command and option: `completion <shell>` prints the script, which asks the
  // hidden `complete -- <words>` for suggestions at each TAB.
  tab(program, { completionCommandName: "completion" });
  program.commands
    .find((command) => command.name() === "completion")
    ?.description(
      "print the shell completion script, e.g. in ~/.bashrc: source <(patternloop completion bash)",
    );
  return program;
}

/** The version in the package.json beside `dist/`, the one npm installed (or the workspace's). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(manifest.version);
}

/**
 * Runs the CLI; every failure becomes one line on stderr and an exit code, never a stack trace (an
 * unexpected failure prints its stack too when `PATTERNLOOP_DEBUG=1`).
 */
export async function run(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeOf(error);
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  const failure = describeFailure(error);
  const debug = process.env.PATTERNLOOP_DEBUG === "1";
  const hint = failure.unexpected && !debug ? " (PATTERNLOOP_DEBUG=1 prints the stack)" : "";
  process.stderr.write(`patternloop: ${failure.line}${hint}\n`);
  if (debug && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  return failure.exitCode;
}
