import { SingleBar } from "cli-progress";
import { count } from "./format.js";

/** What a long command tells its progress bar. */
export interface Progress {
  /** `done` items so far, of `total` when the command knows it. */
  update(done: number, total?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** The command's name, first on the line: `backfill`, `ingest`. */
  label: string;
  /** What is counted: `runs`, `runs read`. */
  unit: string;
  /** Whether the command knows its total up front; without it the line is a running count. */
  bounded: boolean;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/**
 * The progress line every long command draws on stderr, redrawn in place at most ten times a second, with
 * counts formatted as everywhere else. Only on a terminal: piped or redirected, stderr gets no progress, so
 * a log holds what matters and no carriage returns.
 */
export function createProgress(
  options: ProgressOptions,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY !== true) return SILENT;
  const bar = new SingleBar({
    format: options.bounded
      ? `${options.label} [{bar}] {value}/{total} ${options.unit} | {eta_formatted} left`
      : `${options.label}: {value} ${options.unit}…`,
    formatValue: (value, _options, type) =>
      type === "value" || type === "total" ? count(value) : `${value}`,
    hideCursor: true,
    stream,
  });
  let started = false;
  return {
    update(done, total = 0) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
