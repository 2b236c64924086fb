import type { RunDraft } from "./session-drafts.js";

/**
 * How long a session must have been quiet before its last run counts as finished: 30 minutes. A turn can
 * sit that long without writing a line (a long test suite, a permission prompt nobody has answered yet).
 */
export const SESSION_QUIET_MS = 30 * 60_000;

/**
 * The run a session may still be writing: its last one, when its latest line is less than
 * {@link SESSION_QUIET_MS} older than `now`. None without `now` or a time on its lines.
 */
export function liveRunOf(runs: readonly RunDraft[], now: number | undefined): RunDraft | undefined {
  const last = runs.at(-1);
  if (now === undefined || last === undefined || Number.isNaN(last.end)) return undefined;
  return now - last.end < SESSION_QUIET_MS ? last : undefined;
}
