import { readFileSync } from "node:fs";

/** One Claude Code hook payload as Claude Code sent it (plus the sample's `_seq` / `_repo` bookkeeping). */
export interface HookEvent {
  session_id: string;
  hook_event_name: string;
  prompt?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  _seq: number;
  [field: string]: unknown;
}

/**
 * Four real sessions from the permissive real-world sample (see fixtures/NOTICE.md), in the order Claude
 * Code sent their events, as the raw JSON lines (bytes as delivered) and parsed.
 */
export const HOOK_LINES: readonly string[] = readFileSync(
  new URL("../fixtures/hook-sessions.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((line) => line.trim() !== "");

export const HOOK_EVENTS: readonly HookEvent[] = HOOK_LINES.map((line) => JSON.parse(line) as HookEvent);

/** The events of one session, by the start of its id. */
export function sessionEvents(prefix: string): HookEvent[] {
  const events = HOOK_EVENTS.filter((event) => event.session_id.startsWith(prefix));
  if (events.length === 0) throw new Error(`no session ${prefix} in the fixture`);
  return events;
}
