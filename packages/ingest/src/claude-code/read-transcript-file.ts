import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { transcriptSessionId } from "@patternloop/core";
import { isSubagentTranscript } from "./find-transcripts.js";

/** What is known of a transcript file without parsing it. */
export interface TranscriptFileInfo {
  path: string;
  size: number;
  /** Modification time (ms since the epoch), taken before the content was read. */
  modifiedMs: number;
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
  let modifiedMs: number;
  try {
    // Taken first: a file written to while it is read then looks changed next time, never unchanged.
    modifiedMs = statSync(path).mtimeMs;
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, path, problem: problemOf(error) };
  }
  const { text, invalidLines } = decodeLines(bytes);
  return {
    ok: true,
    text,
    info: {
      path,
      size: bytes.length,
      modifiedMs,
      hash: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
      sessionId: transcriptSessionId(text) ?? basename(path, ".jsonl"),
      subagent: isSubagentTranscript(path),
      invalidLines,
    },
  };
}

/** What an earlier ingestion recorded of a file: its size, modification time and content hash. */
export interface KnownTranscript {
  size: number;
  modifiedMs: number | null;
  hash: string | null;
}

/**
 * The info of a file whose size and modification time are those `known` recorded, read from its first lines
 * only (its session id; the hash is the recorded one): re-reading unchanged transcripts costs a `stat` each,
 * not a read and a hash. Undefined when the file differs from `known` (then read it with
 * {@link readTranscriptFile}) or cannot be read.
 */
export function readUnchangedTranscript(
  path: string,
  known: KnownTranscript,
): TranscriptFileInfo | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const { size, mtimeMs } = fstatSync(fd);
    if (size !== known.size || mtimeMs !== known.modifiedMs || known.hash === null) return undefined;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const read = readSync(fd, head, 0, head.length, 0);
    // Whole lines only; when they name no session, the whole file is read as for a changed one.
    const end = read === size ? read : head.lastIndexOf(0x0a, read - 1);
    const sessionId = end <= 0 ? undefined : transcriptSessionId(decodeLines(head.subarray(0, end)).text);
    if (sessionId === undefined && read !== size) return undefined;
    return {
      path,
      size,
      modifiedMs: mtimeMs,
      hash: known.hash,
      sessionId: sessionId ?? basename(path, ".jsonl"),
      subagent: isSubagentTranscript(path),
      invalidLines: [],
    };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Bytes read from an unchanged file to find its session id. */
const HEAD_BYTES = 64 * 1024;

function problemOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
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
