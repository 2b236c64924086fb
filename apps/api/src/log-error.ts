import { inspect } from "node:util";
import { escapeLogText } from "@patternloop/core";
import type { PatternloopDbError } from "@patternloop/db";

/**
 * Logs a failure as one line on stderr: what failed, then the error as Node would print it (stack, code,
 * cause) with its line breaks escaped, so that input quoted in a message cannot forge log lines.
 */
export function logError(what: string, error: unknown): void {
  console.error(`[api] ${what}: ${escapeLogText(inspect(error, { breakLength: Number.POSITIVE_INFINITY }))}`);
}

/**
 * Logs a request the database failed (busy, full, read-only) as one line: what failed, the failure's code
 * and its message, escaped. No stack: the failure is the database's state, not a fault in the code.
 */
export function logStorageFailure(what: string, error: PatternloopDbError): void {
  console.error(`[api] ${escapeLogText(`${what}: ${error.code}: ${error.message}`)}`);
}
