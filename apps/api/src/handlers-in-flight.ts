/**
 * Counts the requests whose handler has not returned yet. A server that stops must wait for them before it
 * closes the database: a completion whose body was read goes on being written (and committed) even after its
 * connection is gone.
 */
export interface HandlersInFlight {
  /** Counts `answer` until it settles; returns it unchanged. */
  track<T>(answer: T | Promise<T>): T | Promise<T>;
  /** Resolves once no handler is running. */
  settled(): Promise<void>;
}

export function createHandlersInFlight(): HandlersInFlight {
  let running = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    running -= 1;
    if (running > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };
  return {
    track(answer) {
      // A handler that answered at once has nothing left to wait for.
      if (!(answer instanceof Promise)) return answer;
      running += 1;
      answer.then(done, done);
      return answer;
    },
    settled() {
      if (running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
