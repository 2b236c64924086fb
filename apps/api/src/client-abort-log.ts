import { createCappedLog, escapeLogText } from "@patternloop/core";

/** Requests whose client went away before sending the whole body, summed up rather than logged one by one. */
export interface ClientAbortLog {
  /** Notes one such request (`POST /v1/runs`) and why reading it stopped. */
  record(request: string, reason: string): void;
  /** Writes the count of the requests not logged yet, if any (at the end of each window, and on close). */
  flush(): void;
}

export interface ClientAbortLogOptions {
  /** How many aborted requests a window logs one line each; default 5. */
  first?: number;
  /** How long a window lasts, from its first abort; default one minute. */
  windowMs?: number;
}

/**
 * A thousand clients hanging up mid-body (a proxy timing out, a load test stopped) used to write seven lines
 * each: now the first few of each minute get one short line, and the rest one count when the minute ends.
 */
export function createClientAbortLog(
  write: (line: string) => void = (line) => console.error(line),
  { first = 5, windowMs = 60_000 }: ClientAbortLogOptions = {},
): ClientAbortLog {
  const log = createCappedLog(write, {
    first,
    more: (held) =>
      `[api] … and ${held} more request${held === 1 ? "" : "s"} whose client went away mid-body`,
  });
  let window: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(window);
    window = undefined;
    log.flush();
  };
  return {
    record(request, reason) {
      log.write(`[api] ${escapeLogText(request)}: the client went away mid-body (${escapeLogText(reason)})`);
      // Never holds the process open: what is pending at exit is written by flush() on close.
      window ??= setTimeout(flush, windowMs).unref();
    },
    flush,
  };
}
