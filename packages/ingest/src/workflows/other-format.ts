/** The other inputs patternloop reads, each with its own command, told apart from workflow records. */
export type OtherFormat = "claude_code_transcript" | "hook_log";

/**
 * Which other input a parsed JSON line belongs to, if it is one: a Claude Code transcript entry (it names its
 * `sessionId`, or is a transcript's `summary` / `file-history-snapshot` line) or a hook payload from a hook log
 * (`hook_event_name` and `session_id`). A workflow record (it has a `workflow_id` or an `adw_id`) is neither.
 */
export function recogniseOtherFormat(json: unknown): OtherFormat | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const line = json as Record<string, unknown>;
  if ("workflow_id" in line || "adw_id" in line) return undefined;
  if (typeof line.hook_event_name === "string" && typeof line.session_id === "string") return "hook_log";
  if (typeof line.type !== "string") return undefined;
  if (typeof line.sessionId === "string") return "claude_code_transcript";
  if (line.type === "summary" && typeof line.leafUuid === "string") return "claude_code_transcript";
  if (line.type === "file-history-snapshot" && typeof line.messageId === "string")
    return "claude_code_transcript";
  return undefined;
}
