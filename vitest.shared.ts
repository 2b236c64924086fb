/**
 * What every package's tests share. The timeouts only guard against a hang: tests never assert how long
 * anything takes, and on a 2-core machine running several suites at once (turbo runs the packages side by
 * side) a real-data test or a child process can take several times vitest's default five seconds.
 */
export const TEST_TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 } as const;
