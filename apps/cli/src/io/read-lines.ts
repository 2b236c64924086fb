import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { CliError } from "../cli-error.js";

/**
 * Reads a file (or standard input for `-` / no file) line by line, numbering lines from 1.
 * A missing file or a directory is a {@link CliError}, raised before anything is read.
 */
export async function* readLines(file: string | undefined): AsyncGenerator<{ line: string; number: number }> {
  const fromStdin = file === undefined || file === "-";
  if (fromStdin && process.stdin.isTTY)
    throw new CliError("no input: give a FILE, or pipe JSON Lines on standard input");
  if (!fromStdin) assertReadableFile(file);
  const input = fromStdin ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number++;
    yield { line, number };
  }
}

/** Throws a one-line {@link CliError} unless `file` is an existing regular file. */
export function assertReadableFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new CliError(`file not found: ${file}`);
  }
  if (!isFile) throw new CliError(`not a file: ${file}`);
}
