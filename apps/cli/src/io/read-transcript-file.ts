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
}

export type ReadTranscriptResult =
  | { ok: true; info: TranscriptFileInfo; text: string }
  | { ok: false; path: string; problem: string };

/** Reads a transcript file whole, with its size and content hash; an unreadable file is a problem, not an error. */
export function readTranscriptFile(path: string): ReadTranscriptResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, path, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const text = bytes.toString("utf8");
  return {
    ok: true,
    text,
    info: {
      path,
      size: bytes.length,
      hash: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
      sessionId: transcriptSessionId(text) ?? basename(path, ".jsonl"),
      subagent: isSubagentTranscript(path),
    },
  };
}
