import { type ClaudeCodeTranscript, type MessageOwners, parseClaudeCodeTranscript } from "@patternloop/core";
import { readTranscriptFile, type TranscriptFileInfo } from "./read-transcript-file.js";

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

/**
 * Texts of files as first read (the ones their info describes), by path, so that the passes over a session
 * parse them without reading, hashing and decoding them again.
 */
export type KeptTexts = ReadonlyMap<string, string>;

export function filesOf(group: SessionGroup): TranscriptFileInfo[] {
  return [group.main, ...group.subagents];
}

/**
 * Reads a session's files again (those not in `kept`) and parses them as one transcript; undefined when a file changed since it
 * was first read (its bookkeeping would not match what was parsed), so the session is left for next time.
 * `now` tells the last run of a session still being written, which stays `running`. With `messageOwners`,
 * a message another session's run counts (a resumed session's copy of it) is left out of this one's runs.
 */
export function parseSessionGroup(
  group: SessionGroup,
  now: number,
  messageOwners?: MessageOwners,
  kept?: KeptTexts,
): ClaudeCodeTranscript | undefined {
  const texts: string[] = [];
  for (const file of filesOf(group)) {
    const text = kept?.get(file.path);
    if (text !== undefined) {
      texts.push(text);
      continue;
    }
    const read = readTranscriptFile(file.path);
    if (!read.ok || read.info.hash !== file.hash) return undefined;
    texts.push(read.text);
  }
  return parseClaudeCodeTranscript(texts[0] ?? "", {
    subagents: texts.slice(1),
    sessionId: group.main.sessionId,
    now,
    ...(messageOwners ? { messageOwners } : {}),
  });
}
