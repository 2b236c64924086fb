import { readEntry } from "./transcript-entry.js";

/**
 * The session a transcript belongs to: the `sessionId` of its first line that has one. A subagent
 * transcript (`agent-*.jsonl`) carries the id of the session that launched it, which is how it is matched
 * to that session's transcript.
 */
export function transcriptSessionId(text: string): string | undefined {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end);
    const entry = readEntry(line, 0, 0);
    if (typeof entry === "object" && entry.sessionId !== undefined) return entry.sessionId;
    if (end === -1) return undefined;
    start = end + 1;
  }
  return undefined;
}
