// Runs one backfill in a process of its own, so that its peak memory is its own, and prints the measurements
// as one JSON line. Usage: node --import tsx bench/backfill-worker.ts <sqlite file>
import { backfillPatterns, createDatabase } from "../packages/db/dist/index.js";
import { measureInsertFloor } from "./backfill-floor.js";

/** What one backfill measured. */
export interface BackfillMeasurement {
  processed: number;
  errors: number;
  patterns: number;
  seconds: number;
  /** Resident memory once the modules are loaded and the database is open, before the backfill. */
  baseline_rss_mb: number;
  /** Peak resident memory of the whole process (`getrusage` maxrss), before the floor is measured. */
  peak_rss_mb: number;
  /** Seconds raw better-sqlite3 takes to insert the same occurrence rows (see backfill-floor.ts). */
  floor_seconds: number;
  floor_rows: number;
}

const MB = 1024 * 1024;

async function measure(path: string): Promise<BackfillMeasurement> {
  const database = await createDatabase(path, { requireHistory: true });
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  let measured: Omit<BackfillMeasurement, "floor_seconds" | "floor_rows">;
  try {
    const summary = await backfillPatterns(database.db);
    const seconds = (performance.now() - started) / 1000;
    const patterns = await database.db
      .selectFrom("operation_patterns")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    measured = {
      processed: summary.processed,
      errors: summary.errors,
      patterns: Number(patterns.n),
      seconds,
      baseline_rss_mb: baseline / MB,
      // Kilobytes on Linux and macOS.
      peak_rss_mb: (process.resourceUsage().maxRSS * 1024) / MB,
    };
  } finally {
    await database.close();
  }
  const floor = measureInsertFloor(path);
  return { ...measured, floor_seconds: floor.seconds, floor_rows: floor.rows };
}

const [path] = process.argv.slice(2);
if (path === undefined) {
  process.stderr.write("usage: backfill-worker.ts <sqlite file>\n");
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await measure(path))}\n`);
