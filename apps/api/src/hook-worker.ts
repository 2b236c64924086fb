import { isStorageFailure, type PatternloopDatabase, requeueSetAsideHookEvents } from "@patternloop/db";
import { type ProcessHookOptions, processHookEvents } from "@patternloop/validator";
import { logError, logStorageFailure } from "./log-error.js";

/** How often a worker looks for events nobody woke it for; also its pause after a failure. */
export const DEFAULT_HOOK_POLL_MS = 5_000;

export interface HookWorkerOptions extends Omit<ProcessHookOptions, "limit" | "onProcessed" | "onSetAside"> {
  /**
   * Time between two looks for waiting events besides those it is woken for: events kept before a restart,
   * or held by a replica that died. Also the pause after a failed round. Default {@link DEFAULT_HOOK_POLL_MS}.
   */
  pollMs?: number;
  /** Told of a round that failed (the events are tried again later); logged on stderr by default. */
  onError?: (error: unknown) => void;
}

/** Applies, after the answer, the hook events the receiver kept. */
export interface HookWorker {
  /** Applies what waits, after the current turn of the event loop (the answer goes first). */
  wake(): void;
  /** Resolves once the worker has nothing left to do that it knows of: for tests, and for shutdown. */
  settled(): Promise<void>;
  /** Stops; resolves once the round under way has finished. */
  stop(): Promise<void>;
}

/**
 * Starts applying the kept hook events (see `processHookEvents`): at once, which applies what an earlier
 * process kept and did not apply (and tries again what it set aside), then whenever woken and every `pollMs`. Rounds never overlap in one
 * worker; workers of several replicas share the events, each taken by one. The timer does not keep the
 * process alive.
 */
export function startHookWorker(database: PatternloopDatabase, options: HookWorkerOptions): HookWorker {
  const pollMs = options.pollMs ?? DEFAULT_HOOK_POLL_MS;
  const onError =
    options.onError ??
    ((error: unknown) =>
      isStorageFailure(error)
        ? logStorageFailure("hook events not applied yet", error)
        : logError("hook events not applied yet", error));
  const onSetAside: ProcessHookOptions["onSetAside"] = (event, error, attempts) =>
    logError(
      `hook event ${event.event_id} of session ${event.session_id} set aside after ${attempts} failed attempts (kept in hook_inbox and tried again when the receiver next starts; the session's later events go on)`,
      error,
    );
  let stopped = false;
  let requeued = false;
  let wanted = false;
  let round: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(wake, delay);
    timer.unref();
  };
  const run = async () => {
    let failed = false;
    while (wanted && !stopped) {
      wanted = false;
      try {
        // Once a start: what an earlier run set aside gets another chance with this version.
        if (!requeued) await requeueSetAsideHookEvents(database.db);
        requeued = true;
        await processHookEvents(database, { ...options, onSetAside });
      } catch (error) {
        onError(error);
        failed = true;
        break;
      }
    }
    round = undefined;
    schedule(pollMs);
    // Woken during a failed round: the failure may be over, but not at once; the poll tries again.
    if (failed) wanted = false;
  };
  function wake() {
    if (stopped) return;
    wanted = true;
    if (round === undefined) round = new Promise((resolve) => setImmediate(resolve)).then(run);
  }
  wake();
  return {
    wake,
    async settled() {
      while (round !== undefined) await round;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      while (round !== undefined) await round;
    },
  };
}
