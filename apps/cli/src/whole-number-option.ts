import { CliError } from "./cli-error.js";

/** The most days an option takes: a hundred years, well within what dates can hold. */
export const MAX_DAYS = 36_500;

/** Bounds of {@link wholeNumberOption}. */
export interface WholeNumberBounds {
  /** Default 0. */
  min?: number;
  /** Default `Number.MAX_SAFE_INTEGER`: above it a number is no longer exact, and SQL refuses it. */
  max?: number;
}

/**
 * The commander argument parser of a numeric option, e.g. `--limit <n>`: plain decimal digits between the
 * bounds, else a one-line {@link CliError} naming the option (exit 2) before the command does anything.
 * `1e3`, `0x10`, `-1`, `1.5`, an empty string and 99999999999999999999 are all refused.
 *
 * @example program.option("--limit <n>", "at most N rows", wholeNumberOption("--limit", { min: 1 }), 10)
 */
export function wholeNumberOption(
  option: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: WholeNumberBounds = {},
): (value: string) => number {
  return (value) => {
    const number = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? `of ${min} or more${number > max ? ` (at most ${max})` : ""}`
        : `from ${min} to ${max}`;
    throw new CliError(`${option} takes a whole number ${range}, not ${JSON.stringify(value)}`);
  };
}
