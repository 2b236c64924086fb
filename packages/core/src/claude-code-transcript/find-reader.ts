import type { MessageDraft } from "./session-drafts.js";
import type { TranscriptEntry } from "./transcript-entry.js";

/** The lines of one transcript text, indexed to find the model request that read a tool result. */
export interface TextIndex {
  children: Map<string, TranscriptEntry[]>;
  /** Assistant lines of real (not synthetic) messages, per stream, in file order. */
  assistants: Map<string, TranscriptEntry[]>;
}

/** Lines that follow one another: the main conversation, or one subagent's. */
export function streamOf(entry: TranscriptEntry): string {
  return entry.sidechain || entry.file > 0 ? `side:${entry.agentId ?? ""}` : "main";
}

export function indexText(
  entries: readonly TranscriptEntry[],
  messageOf: (entry: TranscriptEntry) => MessageDraft | undefined,
): TextIndex {
  const children = new Map<string, TranscriptEntry[]>();
  const assistants = new Map<string, TranscriptEntry[]>();
  for (const entry of entries) {
    if (entry.parentUuid !== undefined) {
      const siblings = children.get(entry.parentUuid);
      if (siblings) siblings.push(entry);
      else children.set(entry.parentUuid, [entry]);
    }
    const message = messageOf(entry);
    if (message && !message.synthetic) {
      const stream = streamOf(entry);
      const list = assistants.get(stream);
      if (list) list.push(entry);
      else assistants.set(stream, [entry]);
    }
  }
  return { children, assistants };
}

/** Lines visited at most while following one result's descendants: a bound for damaged transcripts. */
const MAX_VISITED = 10_000;

/**
 * The message that read a tool result: the first real assistant message descending from the result's line
 * (`parentUuid` links survive parallel subagents writing between them); when the links are broken (lines
 * lost), the next assistant line of the same stream in file order.
 */
export function findReader(
  result: TranscriptEntry,
  index: TextIndex,
  messageOf: (entry: TranscriptEntry) => MessageDraft | undefined,
): MessageDraft | undefined {
  let best: TranscriptEntry | undefined;
  const seen = new Set<TranscriptEntry>();
  const queue: TranscriptEntry[] = [result];
  while (queue.length > 0 && seen.size < MAX_VISITED) {
    const node = queue.pop() as TranscriptEntry;
    for (const child of node.uuid === undefined ? [] : (index.children.get(node.uuid) ?? [])) {
      if (seen.has(child) || child.index <= result.index) continue;
      seen.add(child);
      const message = messageOf(child);
      if (message && !message.synthetic) {
        if (best === undefined || child.index < best.index) best = child;
      } else queue.push(child);
    }
  }
  if (best) return messageOf(best);
  const next = firstAfter(index.assistants.get(streamOf(result)) ?? [], result.index);
  return next === undefined ? undefined : messageOf(next);
}

function firstAfter(entries: readonly TranscriptEntry[], position: number): TranscriptEntry | undefined {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle] as TranscriptEntry).index <= position) low = middle + 1;
    else high = middle;
  }
  return entries[low];
}
