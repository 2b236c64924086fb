const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const HAS_TIME = /\d[T ]\d/;

/**
 * A time as ISO 8601 UTC with milliseconds (`2026-01-05T04:00:00.000Z`), so that times compare correctly as
 * text. A time without a zone is read as UTC (as ADW histories write them); null for anything unparseable.
 *
 * @example toUtcIso("2026-01-05T09:00:00+05:00") // "2026-01-05T04:00:00.000Z"
 */
export function toUtcIso(value: string | null | undefined): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = value.trim();
  const ms = Date.parse(HAS_TIME.test(text) && !HAS_ZONE.test(text) ? `${text.replace(" ", "T")}Z` : text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
