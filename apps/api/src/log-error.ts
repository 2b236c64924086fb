import { inspect } from "node:util";
import { escapeLogText } from "@patternloop/core";

/**
 * Logs a failure as one line on stderr: what failed, then the error as Node would print it (stack, code,
 * cause) with its line breaks escaped, so that input quoted in a message cannot forge log lines.
 */
export function logError(what: string, error: unknown): void {
  console.error(`[api] ${what}: ${escapeLogText(inspect(error, { breakLength: Number.POSITIVE_INFINITY }))}`);
}
