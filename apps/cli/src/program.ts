import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT } from "./cli-error.js";
import { PACKAGE_JSON } from "./package-files.js";

/** A top-level command: its name, and the module that adds it, loaded only when the command line may use it. */
interface LazyCommand {
  name: string;
  load: () => Promise<(program: Command) => void>;
}

// Each command's module brings its packages (the database layer, the API server, the dashboard): loading
// only the one a command line names keeps a short command from paying for all of them at start.
const COMMANDS: readonly LazyCommand[] = [
  { name: "demo", load: async () => (await import("./commands/demo.js")).registerDemo },
  { name: "detect", load: async () => (await import("./commands/detect.js")).registerDetect },
  { name: "ingest", load: async () => (await import("./commands/ingest.js")).registerIngest },
  { name: "backfill", load: async () => (await import("./commands/backfill.js")).registerBackfill },
  { name: "analyze", load: async () => (await import("./commands/analyze.js")).registerAnalyze },
  { name: "check", load: async () => (await import("./commands/check.js")).registerCheck },
  { name: "predict", load: async () => (await import("./commands/predict.js")).registerPredict },
  { name: "backtest", load: async () => (await import("./commands/backtest.js")).registerBacktest },
  { name: "review", load: async () => (await import("./commands/review.js")).registerReview },
  { name: "automate", load: async () => (await import("./commands/automate.js")).registerAutomate },
  { name: "serve", load: async () => (await import("./commands/serve.js")).registerServe },
  { name: "init", load: async () => (await import("./commands/init.js")).registerInit },
  { name: "report", load: async () => (await import("./commands/report.js")).registerReport },
  { name: "generate", load: async () => (await import("./commands/generate.js")).registerGenerate },
];

/**
 * Builds the `patternloop` command tree for the command line `argv` (as `process.argv` gives it): when its
 * first word names a command, with that command alone; otherwise (help, completion, a mistyped command, no
 * `argv`) with every command.
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const named = COMMANDS.find((command) => command.name === firstWordOf(argv));
  const registers = await Promise.all(
    (named === undefined ? COMMANDS : [named]).map((command) => command.load()),
  );
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
  for (const register of registers) register(program);
  if (named !== undefined) return program;
  // Last, so that it sees every command and option: `completion <shell>` prints the script, which asks the
  // hidden `complete -- <words>` for suggestions at each TAB.
  const { default: tab } = await import("@bomb.sh/tab/commander");
  tab(program, { completionCommandName: "completion" });
  program.commands
    .find((command) => command.name() === "completion")
    ?.description(
      "print the shell completion script, e.g. in ~/.bashrc: source <(patternloop completion bash)",
    );
  return program;
}

/** The first word after the program's path that is not an option (the root's options take no value). */
function firstWordOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((word) => !word.startsWith("-"));
}

/** The version in the package's manifest, the one npm installed (or the workspace's). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(PACKAGE_JSON, "utf8"));
  return String(manifest.version);
}

/**
 * Runs the CLI; every failure becomes one line on stderr and an exit code, never a stack trace (an
 * unexpected failure prints its stack too when `PATTERNLOOP_DEBUG=1`).
 */
export async function run(argv: string[]): Promise<void> {
  try {
    const program = await createProgram(argv);
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = await exitCodeOf(error);
  }
}

async function exitCodeOf(error: unknown): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  // Loaded on failure only: it knows the errors of every package.
  const { describeFailure } = await import("./describe-failure.js");
  const failure = describeFailure(error);
  const debug = process.env.PATTERNLOOP_DEBUG === "1";
  const hint = failure.unexpected && !debug ? " (PATTERNLOOP_DEBUG=1 prints the stack)" : "";
  process.stderr.write(`patternloop: ${failure.line}${hint}\n`);
  if (debug && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  return failure.exitCode;
}
