/** Exit codes of the `patternloop` binary. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, badInput: 2 });

/**
 * The one error type the CLI maps to an exit code in its top-level catch: bad input (a missing file,
 * an unknown URL scheme…) exits 2, a check that found problems exits 1. The message is one line.
 */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
