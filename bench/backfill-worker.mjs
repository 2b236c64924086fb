// @ts-check
// Runs one backfill in a process of its own, so that its peak memory is its own, and prints the measurements
// as one JSON line (a `BackfillMeasurement` of backfill.ts).
// Usage: node bench/backfill-worker.mjs <sqlite file | postgres URL> [--no-floor]
//
// Plain JavaScript run by plain `node` against the built packages: under a TypeScript loader (tsx) the
// process would also carry the loader (~40 MB of resident memory, and a hooks thread that the backfill's own
// worker thread would start again), which is not what a user running the CLI pays.
import { backfillPatterns, countPatterns, createDatabase } from "@patternloop/db";
import { measureInsertFloor } from "./backfill-floor.mjs";

const MB = 1024 * 1024;

/**
 * @param {string} path
 * @param {boolean} floor whether to measure the floor afterwards (SQLite only)
 */
async function measure(path, floor) {
  const database = await createDatabase(path, { requireHistory: true });
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  let measured;
  try {
    const summary = await backfillPatterns(database.db);
    const seconds = (performance.now() - started) / 1000;
    measured = {
      processed: summary.processed,
      errors: summary.errors,
      patterns: await countPatterns(database.db),
      seconds,
      baseline_rss_mb: baseline / MB,
      // Kilobytes on Linux and macOS.
      peak_rss_mb: (process.resourceUsage().maxRSS * 1024) / MB,
    };
  } finally {
    await database.close();
  }
  if (!floor) return measured;
  const measuredFloor = measureInsertFloor(path);
  return { ...measured, floor_seconds: measuredFloor.seconds, floor_rows: measuredFloor.rows };
}

const [path, option] = process.argv.slice(2);
if (path === undefined || (option !== undefined && option !== "--no-floor")) {
  process.stderr.write("usage: backfill-worker.mjs <sqlite file | postgres URL> [--no-floor]\n");
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await measure(path, option === undefined))}\n`);
