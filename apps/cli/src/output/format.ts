// Money, counts, ratios and days read as the dashboard shows them: one definition, in core.
export { count, day, percent, usd } from "@patternloop/core";

/** `1.4 s`, `2 min 5 s`. */
export function elapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
