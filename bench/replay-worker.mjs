// @ts-check
// Runs the replay of predictions that `patternloop backfill` runs after detection, on a history backfilled
// without it, in a process of its own so that its peak memory is its own; prints the measurements as one
// JSON line (a `ReplayMeasurement` of backfill.ts).
// Usage: node bench/replay-worker.mjs <sqlite file | postgres URL>
//
// Plain JavaScript on the built packages, for the reason given in backfill-worker.mjs.
import { createDatabase } from "@patternloop/db";
import { replayPredictions } from "@patternloop/validator";

const MB = 1024 * 1024;

/** @param {string} path */
async function measure(path) {
  const database = await createDatabase(path, { requireHistory: true });
  const started = performance.now();
  try {
    const summary = await replayPredictions(database);
    return {
      runs: summary.runs,
      predictions: summary.predictions,
      seconds: (performance.now() - started) / 1000,
      // Kilobytes on Linux and macOS.
      peak_rss_mb: (process.resourceUsage().maxRSS * 1024) / MB,
    };
  } finally {
    await database.close();
  }
}

const [path] = process.argv.slice(2);
if (path === undefined) {
  process.stderr.write("usage: replay-worker.mjs <sqlite file | postgres URL>\n");
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await measure(path))}\n`);
