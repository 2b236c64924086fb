import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { transcriptSessionId } from "@patternloop/core";
import { isSubagentTranscript } from "./find-transcripts.js";

/** What is known of a transcript file without parsing it. */
export interface TranscriptFileInfo {
  path: string;
  size: number;
  /** `sha256:<hex>` of the content. */
  hash: string;
  /** The session it belongs to: its lines' `sessionId`, else its name. */
  sessionId: string;
  subagent: boolean;
  /** Lines that are not valid UTF-8 (numbered from 1): read as blank lines, never with U+FFFD in them. */
  invalidLines: number[];
}

export type ReadTranscriptResult =
  | { ok: true; info: TranscriptFileInfo; text: string }
  | { ok: false; path: string; problem: string };

/**
 * Reads a transcript file whole, with its size and content hash; an unreadable file is a problem, not an
 * error. A line that is not valid UTF-8 is left out (read as a blank line) and named in `invalidLines`.
 */
export function readTranscriptFile(path: string): ReadTranscriptResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, path, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const { text, invalidLines } = decodeLines(bytes);
  return {
    ok: true,
    text,
    info: {
      path,
      size: bytes.length,
      hash: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
      sessionId: transcriptSessionId(text) ?? basename(path, ".jsonl"),
      subagent: isSubagentTranscript(path),
      invalidLines,
    },
  };
}

/** The text of `bytes`, each line that is not valid UTF-8 blanked out. */
function decodeLines(bytes: Buffer): { text: string; invalidLines: number[] } {
  if (isUtf8(bytes)) return { text: bytes.toString("utf8"), invalidLines: [] };
  const lines: string[] = [];
  const invalidLines: number[] = [];
  let start = 0;
  while (start <= bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const line = bytes.subarray(start, end);
    if (isUtf8(line)) lines.push(line.toString("utf8"));
    else {
      lines.push("");
      invalidLines.push(lines.length);
    }
    start = end + 1;
  }
  return { text: lines.join("\n"), invalidLines };
}
