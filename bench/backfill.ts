import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { patternloopBin } from "./patternloop-bin.js";
import { benchPostgresUrl, dropSchema, freshSchemaUrl, postgresProblem, redact } from "./postgres.js";

/** What one backfill measured: the JSON line of backfill-worker.mjs. */
interface BackfillMeasurement {
  processed: number;
  errors: number;
  patterns: number;
  seconds: number;
  /** Resident memory once the modules are loaded and the database is open, before the backfill. */
  baseline_rss_mb: number;
  /** Peak resident memory of the whole process (`getrusage` maxrss), before the floor is measured. */
  peak_rss_mb: number;
  /** Seconds raw better-sqlite3 takes to insert the same occurrence rows (see backfill-floor.mjs). */
  floor_seconds: number;
  floor_rows: number;
}

/** What one replay of predictions measured: the JSON line of replay-worker.mjs. */
interface ReplayMeasurement {
  runs: number;
  predictions: number;
  seconds: number;
  peak_rss_mb: number;
}

/** The measurements of one history size. */
export interface BackfillResult {
  runs: number;
  /** Backfill wall time, from the first query to the last commit (process start and open excluded). */
  seconds: number;
  runs_per_s: number;
  peak_rss_mb: number;
  baseline_rss_mb: number;
  patterns: number;
  /** `patternloop ingest workflows` of the generated JSON Lines file, whole process. */
  ingest_seconds: number;
  /** `runs / ingest_seconds`. */
  ingest_runs_per_s: number;
  /** Peak resident memory of the ingest process. */
  ingest_peak_rss_mb: number;
  /** Reading the same file and JSON-parsing its lines on one thread, whole process (ingest-floor.mjs). */
  ingest_floor_seconds: number;
  /** `ingest_seconds / ingest_floor_seconds`. */
  ingest_floor_ratio: number;
  /** Size of the SQLite file after ingestion. */
  database_mb: number;
  /** Occurrences the backfill stored. */
  occurrences: number;
  /** Raw better-sqlite3 inserting the same occurrence rows, one transaction (see backfill-floor.mjs). */
  floor_seconds: number;
  /** `seconds / floor_seconds`: how far the backfill is from doing nothing but store its occurrences. */
  floor_ratio: number;
  /**
   * The replay of predictions that `patternloop backfill` runs after detection (replay-worker.mjs), in a
   * process of its own: wall time from the first query to the promotion of candidates.
   */
  replay_seconds: number;
  replay_runs_per_s: number;
  replay_peak_rss_mb: number;
  /** Predictions the replay stored and validated. */
  predictions: number;
  /**
   * The same history ingested into a fresh PostgreSQL schema and backfilled there (see
   * postgres.ts); absent when no server is set.
   */
  postgres?: PostgresBackfillResult;
}

/** The backfill of one history size on PostgreSQL. */
export interface PostgresBackfillResult {
  seconds: number;
  runs_per_s: number;
  peak_rss_mb: number;
  /** `seconds` over the SQLite backfill's: the target is at most 2. */
  sqlite_ratio: number;
  ingest_seconds: number;
  replay_seconds: number;
  replay_peak_rss_mb: number;
  /** `replay_seconds` over the SQLite replay's. */
  replay_sqlite_ratio: number;
}

const CLI = patternloopBin();
const WORKER = fileURLToPath(new URL("./backfill-worker.mjs", import.meta.url));
const REPLAY_WORKER = fileURLToPath(new URL("./replay-worker.mjs", import.meta.url));
const INGEST_CHILD = fileURLToPath(new URL("./ingest-child.mjs", import.meta.url));
const INGEST_FLOOR = fileURLToPath(new URL("./ingest-floor.mjs", import.meta.url));
const SEED = 1;

/** The largest history also backfilled on PostgreSQL. */
const POSTGRES_MAX_RUNS = Number(process.env.PATTERNLOOP_BENCH_POSTGRES_MAX_RUNS || 100_000);

/**
 * For each size: generates a history and ingests it into a fresh SQLite file with the CLI, then backfills it
 * in a child process of its own and reads that process's peak memory. Temporary files are removed.
 */
export async function benchmarkBackfill(
  sizes: readonly number[],
  log: (line: string) => void,
): Promise<BackfillResult[]> {
  const postgresUrl = benchPostgresUrl();
  const unreachable = postgresUrl === undefined ? undefined : await postgresProblem(postgresUrl);
  if (postgresUrl === undefined)
    log("postgres: skipped, neither PATTERNLOOP_BENCH_POSTGRES nor PATTERNLOOP_TEST_PG_URL is set");
  else if (unreachable !== undefined)
    log(`postgres: skipped, ${redact(postgresUrl)} is unreachable (${unreachable})`);
  const reachablePostgres = unreachable === undefined ? postgresUrl : undefined;
  const results: BackfillResult[] = [];
  for (const runs of sizes) {
    // The PostgreSQL target is at 100,000 runs; a million runs into PostgreSQL would take most of an hour.
    const postgres = runs <= POSTGRES_MAX_RUNS ? reachablePostgres : undefined;
    if (reachablePostgres !== undefined && postgres === undefined)
      log(
        `postgres: skipped at ${runs} runs, above ${POSTGRES_MAX_RUNS} (PATTERNLOOP_BENCH_POSTGRES_MAX_RUNS)`,
      );
    const dir = mkdtempSync(join(tmpdir(), "patternloop-bench-"));
    try {
      const history = join(dir, "history.jsonl");
      const database = join(dir, "history.sqlite");
      let started = performance.now();
      const out = openSync(history, "w");
      try {
        await runNode([CLI, "generate", "--runs", String(runs), "--seed", String(SEED)], out);
      } finally {
        closeSync(out);
      }
      log(`${runs} runs: generated in ${since(started).toFixed(1)} s, ${mb(statSync(history).size)} MB`);

      const peakFile = join(dir, "ingest-peak");
      started = performance.now();
      await runNode([
        INGEST_CHILD,
        peakFile,
        CLI,
        "ingest",
        "workflows",
        history,
        "--db",
        database,
        "--json",
      ]);
      const ingestSeconds = since(started);
      const ingestPeakMb = Number(readFileSync(peakFile, "utf8"));
      started = performance.now();
      const parsed = Number(await runNode([INGEST_FLOOR, history]));
      const floorSeconds = since(started);
      if (parsed !== runs) throw new Error(`the ingest floor parsed ${parsed} lines of ${runs} runs`);
      // Kept for PostgreSQL only: at a million runs it is gigabytes of disk.
      if (postgres === undefined) rmSync(history);
      const databaseMb = mb(statSync(database).size);
      log(
        `${runs} runs: ingested in ${ingestSeconds.toFixed(1)} s (${Math.round(runs / ingestSeconds)} runs/s, peak ${ingestPeakMb.toFixed(0)} MB), ${databaseMb} MB; reading and parsing the file alone ${floorSeconds.toFixed(1)} s`,
      );

      // Plain node on the built packages, as a user runs the CLI (see backfill-worker.mjs).
      const measured = JSON.parse(await runNode([WORKER, database])) as BackfillMeasurement;
      if (measured.processed !== runs || measured.errors !== 0)
        throw new Error(
          `backfill of ${runs} runs processed ${measured.processed}, ${measured.errors} errors`,
        );
      log(
        `${runs} runs: backfilled in ${measured.seconds.toFixed(1)} s; floor ${measured.floor_seconds.toFixed(1)} s for ${measured.floor_rows} occurrences`,
      );
      const replay = await measureReplay(database, runs);
      log(
        `${runs} runs: predictions replayed in ${replay.seconds.toFixed(1)} s (${replay.predictions} stored, peak ${replay.peak_rss_mb.toFixed(0)} MB)`,
      );
      const onPostgres =
        postgres === undefined
          ? undefined
          : await backfillOnPostgres(postgres, history, runs, { backfill: measured, replay }, log);
      results.push({
        runs,
        seconds: round(measured.seconds, 2),
        runs_per_s: Math.round(runs / measured.seconds),
        peak_rss_mb: round(measured.peak_rss_mb, 1),
        baseline_rss_mb: round(measured.baseline_rss_mb, 1),
        patterns: measured.patterns,
        ingest_seconds: round(ingestSeconds, 2),
        ingest_runs_per_s: Math.round(runs / ingestSeconds),
        ingest_peak_rss_mb: round(ingestPeakMb, 1),
        ingest_floor_seconds: round(floorSeconds, 2),
        ingest_floor_ratio: round(ingestSeconds / floorSeconds, 2),
        database_mb: databaseMb,
        occurrences: measured.floor_rows,
        floor_seconds: round(measured.floor_seconds, 2),
        floor_ratio: round(measured.seconds / measured.floor_seconds, 2),
        replay_seconds: round(replay.seconds, 2),
        replay_runs_per_s: Math.round(runs / replay.seconds),
        replay_peak_rss_mb: round(replay.peak_rss_mb, 1),
        predictions: replay.predictions,
        ...(onPostgres === undefined ? {} : { postgres: onPostgres }),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/**
 * Ingests `history` into a fresh schema of the PostgreSQL server at `url` with the CLI, backfills it in a
 * child process as on SQLite (no floor: that is raw better-sqlite3), and drops the schema.
 */
async function backfillOnPostgres(
  url: string,
  history: string,
  runs: number,
  sqlite: { backfill: BackfillMeasurement; replay: ReplayMeasurement },
  log: (line: string) => void,
): Promise<PostgresBackfillResult> {
  const sqliteSeconds = sqlite.backfill.seconds;
  const fresh = freshSchemaUrl(url);
  try {
    const started = performance.now();
    await runNode([CLI, "ingest", "workflows", history, "--db", fresh.url, "--json"]);
    const ingestSeconds = since(started);
    const measured = JSON.parse(await runNode([WORKER, fresh.url, "--no-floor"])) as BackfillMeasurement;
    if (measured.processed !== runs || measured.errors !== 0)
      throw new Error(
        `postgres backfill of ${runs} runs processed ${measured.processed}, ${measured.errors} errors`,
      );
    const replay = await measureReplay(fresh.url, runs);
    if (replay.predictions !== sqlite.replay.predictions)
      throw new Error(
        `the replay stored ${replay.predictions} predictions on PostgreSQL, ${sqlite.replay.predictions} on SQLite`,
      );
    log(
      `${runs} runs: on PostgreSQL ingested in ${ingestSeconds.toFixed(1)} s, backfilled in ${measured.seconds.toFixed(1)} s (${(measured.seconds / sqliteSeconds).toFixed(2)}× SQLite), predictions replayed in ${replay.seconds.toFixed(1)} s`,
    );
    return {
      seconds: round(measured.seconds, 2),
      runs_per_s: Math.round(runs / measured.seconds),
      peak_rss_mb: round(measured.peak_rss_mb, 1),
      sqlite_ratio: round(measured.seconds / sqliteSeconds, 2),
      ingest_seconds: round(ingestSeconds, 2),
      replay_seconds: round(replay.seconds, 2),
      replay_peak_rss_mb: round(replay.peak_rss_mb, 1),
      replay_sqlite_ratio: round(replay.seconds / sqlite.replay.seconds, 2),
    };
  } finally {
    await dropSchema(url, fresh.schema);
  }
}

/** Replays predictions over a backfilled history in a child process (replay-worker.mjs); checks it walked every run. */
async function measureReplay(database: string, runs: number): Promise<ReplayMeasurement> {
  const measured = JSON.parse(await runNode([REPLAY_WORKER, database])) as ReplayMeasurement;
  if (measured.runs !== runs) throw new Error(`the replay walked ${measured.runs} runs of ${runs}`);
  return measured;
}

/**
 * Per-run backfill time of the largest history over that of the smallest: 1 means linear, above 1 that
 * each run costs more as the history grows.
 */
export function growthRatio(results: readonly BackfillResult[]): number | null {
  const sorted = [...results].sort((a, b) => a.runs - b.runs);
  const small = sorted[0];
  const large = sorted[sorted.length - 1];
  if (small === undefined || large === undefined || small === large) return null;
  return round(large.seconds / large.runs / (small.seconds / small.runs), 2);
}

/**
 * Backfill time over floor time (see backfill-floor.mjs) of the largest history: 1 would be a backfill that
 * costs no more than storing its occurrences.
 */
export function floorRatio(results: readonly BackfillResult[]): number | null {
  const largest = [...results].sort((a, b) => a.runs - b.runs).at(-1);
  return largest === undefined ? null : largest.floor_ratio;
}

/**
 * Runs node with `args` and returns its stdout, or writes that stdout to the file descriptor `out`; a failure
 * carries its stderr.
 */
export function runNode(args: string[], out?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", out ?? "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) =>
      status === 0
        ? resolve(stdout)
        : reject(new Error(`node ${args.join(" ")} exited ${status}: ${stderr}`)),
    );
  });
}

function since(started: number): number {
  return (performance.now() - started) / 1000;
}

function mb(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
