/**
 * One line of a Claude Code transcript, read defensively: every field Claude Code may omit, rename or
 * change type between versions is optional, and anything that is not a JSON object is refused.
 */
export interface TranscriptEntry {
  /** Which text it came from: 0 for the session transcript, 1… for the subagent transcripts given. */
  file: number;
  /** 0-based position among the lines of its text. */
  index: number;
  /** `user`, `assistant`, `system`, `progress`, `summary`, … (`""` when absent). */
  type: string;
  uuid: string | undefined;
  parentUuid: string | undefined;
  sessionId: string | undefined;
  /** The working directory Claude Code ran in (`cwd`): the run's project. */
  cwd: string | undefined;
  /** The `timestamp` as written. */
  timestamp: string | undefined;
  /** `timestamp` in milliseconds, NaN when absent or unparseable. */
  time: number;
  sidechain: boolean;
  meta: boolean;
  compactSummary: boolean;
  agentId: string | undefined;
  apiErrorFlag: boolean;
  /** `message`, when it is an object. */
  message: Record<string, unknown> | undefined;
  /**
   * The subagent entry a `progress` line of type `agent_progress` carries (Claude Code 2.x writes a
   * subagent's messages into the session transcript this way, besides its own `agent-*.jsonl`).
   */
  subagentEntry: TranscriptEntry | undefined;
}

/** Reads one line; undefined for a blank line, `"unparseable"` for anything but a JSON object. */
export function readEntry(
  line: string,
  file: number,
  index: number,
): TranscriptEntry | "unparseable" | undefined {
  if (line.trim() === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return "unparseable";
  }
  if (!isObject(json)) return "unparseable";
  return entryOf(json, file, index);
}

function entryOf(json: Record<string, unknown>, file: number, index: number): TranscriptEntry {
  const timestamp = text(json.timestamp);
  const data = isObject(json.data) ? json.data : undefined;
  const carried = data?.type === "agent_progress" && isObject(data.message) ? data.message : undefined;
  return {
    file,
    index,
    type: text(json.type) ?? "",
    uuid: text(json.uuid),
    parentUuid: text(json.parentUuid),
    sessionId: text(json.sessionId),
    cwd: text(json.cwd),
    timestamp,
    time: timestamp === undefined ? Number.NaN : Date.parse(timestamp),
    sidechain: json.isSidechain === true,
    meta: json.isMeta === true,
    compactSummary: json.isCompactSummary === true || json.isVisibleInTranscriptOnly === true,
    agentId: text(json.agentId),
    apiErrorFlag: json.isApiErrorMessage === true,
    message: isObject(json.message) ? json.message : undefined,
    subagentEntry:
      carried === undefined
        ? undefined
        : {
            ...entryOf(carried, file, index),
            timestamp: text(carried.timestamp) ?? timestamp,
            time: Date.parse(text(carried.timestamp) ?? timestamp ?? ""),
            sidechain: true,
            agentId: text(data?.agentId),
          },
  };
}

/** The content blocks of a message: an array as is, a plain string as one text block. */
export function contentBlocks(message: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const content = message?.content;
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

/** The text blocks of a message joined by a newline. */
export function textOf(blocks: readonly Record<string, unknown>[]): string {
  return blocks
    .filter((block) => block.type === "text" && typeof block.text === "string")
    .map((block) => block.text as string)
    .join("\n");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
