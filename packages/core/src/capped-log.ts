/** Lines passed on up to a limit, the rest counted. */
export interface CappedLog {
  /** Passes `line` on while fewer than `first` lines have been since the last flush; counts it otherwise. */
  write(line: string): void;
  /** Writes one line for the lines held back since the last flush, if there were any, and starts again. */
  flush(): void;
}

export interface CappedLogOptions {
  /** How many lines to pass on before counting. */
  first: number;
  /** The closing line for `held` lines not passed on. */
  more: (held: number) => string;
}

/**
 * Keeps a flood of repeated problems to a few lines: the first ones as they come, then a count.
 *
 * @example
 * const log = createCappedLog((line) => console.error(line), {
 *   first: 20,
 *   more: (held) => `… and ${held} more problems`,
 * });
 * for (const problem of problems) log.write(problem);
 * log.flush();
 */
export function createCappedLog(write: (line: string) => void, options: CappedLogOptions): CappedLog {
  let written = 0;
  let held = 0;
  return {
    write(line) {
      if (written < options.first) {
        written++;
        write(line);
      } else held++;
    },
    flush() {
      if (held > 0) write(options.more(held));
      written = 0;
      held = 0;
    },
  };
}
