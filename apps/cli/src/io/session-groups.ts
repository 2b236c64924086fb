import type { TranscriptFileInfo } from "./read-transcript-file.js";

/** A session transcript with the subagent transcripts (`agent-*.jsonl`) Claude Code kept beside it. */
export interface SessionGroup {
  main: TranscriptFileInfo;
  subagents: TranscriptFileInfo[];
}

/** The session transcripts, each with the subagent transcripts of the same session. */
export function groupSessions(files: readonly TranscriptFileInfo[]): SessionGroup[] {
  const groups: SessionGroup[] = files
    .filter((file) => !file.subagent)
    .map((main) => ({ main, subagents: [] }));
  const bySession = new Map<string, SessionGroup>();
  for (const group of groups)
    if (!bySession.has(group.main.sessionId)) bySession.set(group.main.sessionId, group);
  for (const file of files.filter((file) => file.subagent)) {
    const group = bySession.get(file.sessionId);
    // A subagent transcript whose session transcript is not here has no prompt to belong to: read alone.
    if (group) group.subagents.push(file);
    else groups.push({ main: file, subagents: [] });
  }
  return groups;
}

export function filesOf(group: SessionGroup): TranscriptFileInfo[] {
  return [group.main, ...group.subagents];
}
