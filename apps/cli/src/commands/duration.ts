/** Milliseconds in one of each unit a duration may be written in. */
const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * The milliseconds of a duration written as a positive number and a unit, `ms`, `s`, `m` or `h` (`30m`,
 * `90s`, `1.5h`, `250ms`), or undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] as number);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}
