import { EXIT } from "../cli-error.js";

/**
 * Makes every command stop quietly when the reader of its output goes away (`patternloop detect f | head`):
 * an `EPIPE` on stdout ends the process at once, with the exit code set so far (0 unless the command had
 * already failed). Exit 0 rather than the shell's 141 for SIGPIPE: the reader chose to stop reading, the
 * command did nothing wrong, and under `set -o pipefail` a pipeline into `head` must not fail for it.
 * Any other write error (a full disk behind `> out.txt`) is one line on stderr and exit 1.
 * Without this listener Node throws the stream's error event: a stack trace of twenty lines.
 */
export function guardStdout(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit();
    process.stderr.write(`patternloop: cannot write to standard output: ${error.message.split("\n")[0]}\n`);
    process.exit(EXIT.failed);
  });
}

/**
 * Keeps a command working when the reader of its stderr goes away (`patternloop demo 2>&1 | head`): messages
 * and progress are dropped from then on, and the command goes on, since its work (a database being written)
 * matters more than its messages; if stdout went to the same pipe, its own EPIPE ends the run quietly.
 * Without this listener the first message after the reader left would crash the run with exit 1.
 */
export function guardStderr(stderr: NodeJS.WriteStream = process.stderr): void {
  stderr.on("error", () => {});
}
