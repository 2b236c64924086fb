import type { Writable } from "node:stream";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { count } from "../output/format.js";
import { createProgress } from "../output/progress.js";
import { defaultScriptPath } from "../synthetic/activation.js";
import { DEFAULT_DAYS, type GenerateHistoryOptions, generateHistory } from "../synthetic/generate-history.js";
import { MAX_DAYS, wholeNumberOption } from "../whole-number-option.js";

export interface GenerateCommandOptions {
  runs: number;
  seed?: number;
  days?: string;
  start?: string;
  activate?: string;
  effect?: string;
  script?: string;
}

export interface GenerateSummary {
  /** Runs handed to the output stream. */
  written: number;
}

/** Characters gathered before one write: few, large writes are what make millions of lines fast. */
const CHUNK_CHARS = 1 << 20;

/**
 * Writes a generated history as JSON Lines to `out` in large chunks, waiting whenever the stream is full.
 * The first write error stops the output and is thrown. On stdout a closed pipe (EPIPE) never gets here:
 * the binary ends quietly on it, for every command alike (see guard-stdout.ts).
 */
export async function writeHistory(
  options: GenerateHistoryOptions,
  out: Writable,
  onProgress: (written: number) => void = () => {},
): Promise<GenerateSummary> {
  let failure: Error | undefined;
  // Stays attached after a failure: the dead stream may still report late write errors.
  const onError = (error: Error) => {
    failure ??= error;
  };
  out.on("error", onError);
  const flush = async (chunk: string) => {
    const ready = out.write(chunk);
    // Yield even when the write was taken: a synchronous pipe reports its error on the next tick.
    await new Promise<void>((resolve) => {
      if (ready) return setImmediate(resolve);
      const done = () => {
        out.off("drain", done).off("close", done).off("error", done);
        resolve();
      };
      out.on("drain", done).on("close", done).on("error", done);
    });
  };
  let written = 0;
  let chunk = "";
  for (const run of generateHistory(options)) {
    chunk += `${JSON.stringify(run)}\n`;
    written++;
    if (chunk.length >= CHUNK_CHARS) {
      await flush(chunk);
      chunk = "";
      if (failure !== undefined) throw failure;
      onProgress(written);
    }
  }
  if (chunk !== "") await flush(chunk);
  if (failure !== undefined) throw failure;
  out.off("error", onError);
  return { written };
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("write a deterministic synthetic history of ADW-shaped agent runs (JSON Lines) to stdout")
    .requiredOption("--runs <n>", "number of runs", wholeNumberOption("--runs"))
    .option(
      "--seed <s>",
      "seed: the same seed gives the same history, byte for byte",
      wholeNumberOption("--seed", { max: 0xffffffff }),
      1,
    )
    .option("--days <d>", "days the runs are spread over", String(DEFAULT_DAYS))
    .option("--start <time>", "ISO time of the first run (default 2026-01-05T08:00:00.000Z)")
    .option("--activate <signature@time>", "an automation of the pattern put in use at that ISO time")
    .option("--effect <share>", "with --activate: share of the runs needing it that run the script, 0–1")
    .option("--script <path>", "with --activate: the script's path (default .claude/skills/<pattern>/run.sh)")
    .action(async (options: GenerateCommandOptions) => {
      const history = parseGenerateOptions(options);
      const progress = createProgress({ label: "generate", unit: "runs", bounded: true });
      const summary = await writeHistory(history, process.stdout, (written) =>
        progress.update(written, history.runs),
      );
      progress.update(summary.written, history.runs);
      progress.stop();
      process.stderr.write(`${count(summary.written)} runs generated\n`);
    });
}

/** Checks the command line's options; a bad one is a one-line {@link CliError}. */
export function parseGenerateOptions(options: GenerateCommandOptions): GenerateHistoryOptions {
  const days = Number(options.days ?? DEFAULT_DAYS);
  if (!(days > 0 && days <= MAX_DAYS))
    throw new CliError(
      `--days takes a positive number of at most ${MAX_DAYS}, not ${JSON.stringify(options.days)}`,
    );
  if (options.start !== undefined && Number.isNaN(Date.parse(options.start)))
    throw new CliError(
      `--start takes an ISO time such as 2026-01-05T08:00:00Z, not ${JSON.stringify(options.start)}`,
    );
  return {
    runs: options.runs,
    seed: options.seed ?? 1,
    days,
    startTime: options.start,
    activation: parseActivation(options),
  };
}

function parseActivation(options: GenerateCommandOptions): GenerateHistoryOptions["activation"] {
  if (options.activate === undefined) {
    if (options.effect !== undefined || options.script !== undefined)
      throw new CliError("--effect and --script go with --activate <signature@time>");
    return undefined;
  }
  const split = options.activate.lastIndexOf("@");
  const signature = options.activate.slice(0, split).trim().toLowerCase();
  const at = options.activate.slice(split + 1);
  if (split < 0 || signature === "" || Number.isNaN(Date.parse(at)))
    throw new CliError(
      `--activate takes <signature>@<ISO time> such as test:pytest:backend@2026-01-20T00:00:00Z, not ${JSON.stringify(options.activate)}`,
    );
  const effect = Number(options.effect ?? "");
  if (options.effect === undefined || options.effect.trim() === "" || !(effect >= 0 && effect <= 1))
    throw new CliError(`--effect takes a share from 0 to 1, not ${JSON.stringify(options.effect)}`);
  const script_path = options.script?.trim() || defaultScriptPath(signature);
  return { signature, at: new Date(at).toISOString(), effect, script_path };
}
