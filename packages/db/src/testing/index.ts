/**
 * `@patternloop/db/testing`: what the tests of the packages built on this one need to run on real storage —
 * the engines of the suite and a fresh database per test, real storage faults, a held PostgreSQL row lock, the
 * tables of an ADW history, what a hook log's replay stored.
 * For tests only: it registers vitest hooks when imported, so vitest is an (optional) peer of this entry,
 * never of the main one.
 */
export { ADW_HISTORY_DDL, ADW_PATTERN_TABLES_DDL } from "./adw-history-ddl.js";
export { setBusyTimeout } from "./busy-timeout.js";
export { ENGINES, freshUrl, PG_URL, type TestDatabase, testDirectory, useFreshDatabase } from "./dialects.js";
export { type HeldRowLock, lockRun } from "./held-row-lock.js";
export { type HeldLock, holdWriteLock, makeReadOnly, type SmallDisk, smallDisk } from "./storage-faults.js";
export { storedReplay } from "./stored-replay.js";
