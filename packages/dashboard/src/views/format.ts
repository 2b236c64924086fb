// The same renderings as the CLI's tables, so a figure reads the same in the terminal and in the browser.

/** `$1,234.57`; amounts under a cent keep four decimals (`$0.0042`). */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  const digits = Math.abs(value) < 0.01 && value !== 0 ? 4 : 2;
  const text = Math.abs(value).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${value < 0 ? "-" : ""}$${text}`;
}

/** `12,345`, rounded. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : Math.round(value).toLocaleString("en-US");
}

/** `66.7%` from a 0–1 ratio. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "-" : `${(ratio * 100).toFixed(1)}%`;
}

/** `2026-01-03` from an ISO time. */
export function day(time: string | null | undefined): string {
  return time ? time.slice(0, 10) : "-";
}
