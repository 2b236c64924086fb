// How a figure reads to a person, one definition for every surface that shows it: the CLI's tables and the
// dashboard render money, counts, ratios and days through these, so a figure reads the same in both.

/** `$1,234.57`, `-$3.10`; amounts under a cent keep four decimals (`$0.0042`); `-` for no figure. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  const digits = Math.abs(value) < 0.01 && value !== 0 ? 4 : 2;
  const text = Math.abs(value).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${value < 0 ? "-" : ""}$${text}`;
}

/** `12,345`, rounded; `-` for no figure. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : Math.round(value).toLocaleString("en-US");
}

/** `66.7%` from a 0–1 ratio; `-` for no figure. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "-" : `${(ratio * 100).toFixed(1)}%`;
}

/** `2026-01-03` from an ISO time; `-` for none. */
export function day(time: string | null | undefined): string {
  return time ? time.slice(0, 10) : "-";
}
