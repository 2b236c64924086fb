import { createCappedLog, escapeLogText } from "@patternloop/core";
import { count } from "./format.js";

/** How many problems a command prints before it only counts them. */
export const SHOWN_PROBLEMS = 20;

/**
 * Runs `work` with a `report` that prints problems on stderr, one line each with whatever came from the input
 * escaped (a line break or ESC in it cannot reach the terminal), the first {@link SHOWN_PROBLEMS} of them as
 * they come and then one line counting the rest, printed when `work` ends (or fails).
 */
export async function reportingProblems<T>(
  work: (report: (problem: string) => void) => Promise<T>,
): Promise<T> {
  const log = createCappedLog((line) => process.stderr.write(`${line}\n`), {
    first: SHOWN_PROBLEMS,
    more: (held) => `… and ${count(held)} more problem${held === 1 ? "" : "s"}`,
  });
  try {
    return await work((problem) => log.write(escapeLogText(problem)));
  } finally {
    log.flush();
  }
}
