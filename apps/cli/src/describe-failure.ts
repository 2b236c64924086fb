import { PatternloopDbError } from "@patternloop/db";
import { PatternloopIngestError } from "@patternloop/ingest";
import { PatternloopValidatorError } from "@patternloop/validator";
import { CliError, EXIT } from "./cli-error.js";

/** What the top-level catch prints (after `patternloop: `) and exits with. */
export interface Failure {
  line: string;
  exitCode: number;
  /** A failure nobody foresaw: its stack is worth printing on request. */
  unexpected: boolean;
}

/** Node file-system codes that mean the path named on the command line is wrong. */
const BAD_PATH = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EEXIST", "ENAMETOOLONG", "ELOOP"]);

const VERBS: Readonly<Record<string, string>> = {
  rm: "remove",
  rmdir: "remove",
  unlink: "remove",
  mkdir: "create",
  scandir: "read",
  stat: "read",
  lstat: "read",
  read: "read",
  write: "write",
  copyfile: "copy",
};

/**
 * One line and an exit code for anything a command threw. Bad input (a `CliError`, an input the loader
 * refuses, the validator refusing a move, a wrong path) exits 2. A database that failed while the command ran (busy, full, read-only,
 * unreachable; refusals at open are already `CliError`s) exits 1: the command was right, so running it
 * again once the database works is the fix, not changing it. Anything else is unexpected: exit 1 too.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { line: error.message, exitCode: error.exitCode, unexpected: false };
  if (error instanceof PatternloopDbError)
    return { line: error.message, exitCode: EXIT.failed, unexpected: false };
  if (error instanceof PatternloopIngestError)
    return {
      line: error.message,
      exitCode: error.code === "close_failed" ? EXIT.failed : EXIT.badInput,
      unexpected: false,
    };
  if (error instanceof PatternloopValidatorError)
    return { line: error.message, exitCode: EXIT.badInput, unexpected: false };
  const system = systemError(error);
  if (system !== undefined) return { ...system, unexpected: false };
  return { line: `unexpected error: ${firstLine(error)}`, exitCode: EXIT.failed, unexpected: true };
}

/** A Node file-system error (`EISDIR` from `rm`, `EACCES` from `open`…) as "cannot <verb> <path>: <why>". */
function systemError(error: unknown): { line: string; exitCode: number } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { syscall, path, info } = error as Error & { syscall?: unknown; path?: unknown; info?: unknown };
  if (typeof syscall !== "string" || typeof path !== "string") return undefined;
  // A SystemError (ERR_FS_EISDIR) keeps the errno code and its words in `info`; an ErrnoException in
  // `code` and at the start of its message ("EACCES: permission denied, open '…'").
  const detail = (typeof info === "object" && info !== null ? info : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof detail.code === "string" ? detail.code : (error as NodeJS.ErrnoException).code;
  const why =
    typeof detail.message === "string"
      ? detail.message
      : (/^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? firstLine(error));
  return {
    line: `cannot ${VERBS[syscall] ?? syscall} ${path}: ${why}`,
    exitCode: code !== undefined && BAD_PATH.has(code) ? EXIT.badInput : EXIT.failed,
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.split("\n")[0] ?? "";
}
