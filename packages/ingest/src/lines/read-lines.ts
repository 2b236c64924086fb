import { isUtf8 } from "node:buffer";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { escapeLogText } from "@patternloop/core";
import { PatternloopIngestError } from "../ingest-error.js";

/** A line of a file, numbered from 1, or why it cannot be read as text. */
export type NumberedLine =
  | { ok: true; number: number; line: string }
  | { ok: false; number: number; problem: string };

/** How much of the start of an input is looked at to tell a binary file. */
const HEAD_BYTES = 64 * 1024;

/**
 * Reads a file (or standard input for `-` / no file) line by line, numbering lines from 1 (`\n` or `\r\n`
 * ends a line). A line that is not valid UTF-8 comes back as a problem, never with U+FFFD in place of its
 * bytes. A missing file, a directory or a binary file (a NUL byte in its first 64 KiB, which JSON Lines
 * never has) is a {@link PatternloopIngestError} (`bad_input`), raised before any line is read; so is standard
 * input when it is a terminal (`no_input`), which nobody would be piping JSON Lines into.
 */
export async function* readLines(file: string | undefined): AsyncGenerator<NumberedLine> {
  const fromStdin = file === undefined || file === "-";
  if (fromStdin && process.stdin.isTTY)
    throw new PatternloopIngestError(
      "no_input",
      "no input: give a FILE, or pipe JSON Lines on standard input",
    );
  if (!fromStdin) assertTextFile(file);
  const input: AsyncIterable<Buffer> = fromStdin ? process.stdin : createReadStream(file);
  let number = 0;
  let head = fromStdin;
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    if (head) refuseBinary("standard input", chunk);
    head = false;
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, end));
      yield decodeLine(pending, ++number);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield decodeLine(pending, ++number);
}

function decodeLine(parts: Buffer[], number: number): NumberedLine {
  const whole = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  const bytes = whole.at(-1) === 0x0d ? whole.subarray(0, -1) : whole;
  return isUtf8(bytes)
    ? { ok: true, number, line: bytes.toString("utf8") }
    : { ok: false, number, problem: "not valid UTF-8" };
}

/**
 * Throws a one-line {@link PatternloopIngestError} (`bad_input`) unless `file` is an existing regular file that
 * does not start like a binary one, so that a command can refuse it before it opens a database.
 */
export function assertTextFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new PatternloopIngestError("bad_input", `file not found: ${escapeLogText(file)}`);
  }
  if (!isFile) throw new PatternloopIngestError("bad_input", `not a file: ${escapeLogText(file)}`);
  const head = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(file, "r");
  try {
    refuseBinary(file, head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0)));
  } finally {
    closeSync(fd);
  }
}

/** One line for a binary input, instead of a problem for each of its thousands of lines. */
function refuseBinary(name: string, head: Buffer): void {
  const nul = head.subarray(0, HEAD_BYTES).indexOf(0);
  if (nul !== -1)
    throw new PatternloopIngestError(
      "bad_input",
      `${escapeLogText(name)}: a binary file, not JSON Lines (a NUL byte at offset ${nul.toLocaleString("en-US")})`,
    );
}
