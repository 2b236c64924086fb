import type { PatternloopDatabase } from "@patternloop/db";
import { type CloseIdleOptions, closeIdleSessions, type IdleClosures } from "@patternloop/validator";

/** How long a Claude Code session goes without an event before the receiver closes its run: 30 minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;

export interface IdleSweepOptions extends CloseIdleOptions {
  /** How long a session goes without an event before its run is closed, in milliseconds. */
  idleTimeoutMs: number;
  /** Time between two sweeps; a quarter of the idle time by default, at most a minute. */
  intervalMs?: number;
  /** The clock, in milliseconds; `Date.now` by default. */
  now?: () => number;
  /** Told of a sweep that failed, or of a run it could not close; logged on stderr by default. */
  onError?: (message: string) => void;
}

/** A periodic sweep started by {@link startIdleSweep}. */
export interface IdleSweep {
  /** Sweeps now, after the sweep under way if there is one. */
  sweep(): Promise<IdleClosures>;
  /** Stops sweeping; resolves once the sweep under way, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Closes, every so often, the runs of the Claude Code sessions that had no event for the idle time (see
 * `closeIdleSessions`), so that a session whose `Stop` never came does not leave its run `running` forever.
 * Replicas of the receiver on one database may all sweep: closing a run twice changes nothing. The timer
 * does not keep the process alive, and sweeps never overlap.
 */
export function startIdleSweep(database: PatternloopDatabase, options: IdleSweepOptions): IdleSweep {
  const { idleTimeoutMs } = options;
  if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0)
    throw new RangeError(`idleTimeoutMs must be a positive number of milliseconds, not ${idleTimeoutMs}`);
  const intervalMs = options.intervalMs ?? Math.min(60_000, Math.max(1, idleTimeoutMs / 4));
  const now = options.now ?? Date.now;
  const onError =
    options.onError ?? ((message: string) => process.stderr.write(`patternloop: idle sweep: ${message}\n`));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let underWay: Promise<unknown> = Promise.resolve();

  const sweep = (): Promise<IdleClosures> => {
    const next = underWay.then(() => closeIdleSessions(database, new Date(now() - idleTimeoutMs), options));
    underWay = next.catch(() => {});
    return next;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .then(
          ({ failed }) => {
            for (const run of failed)
              onError(`run ${run.workflow_id} of session ${run.session_id} not closed: ${run.message}`);
          },
          (error: unknown) => onError(error instanceof Error ? error.message : String(error)),
        )
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await underWay;
    },
  };
}
