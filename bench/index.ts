// The benchmarks of patternloop (not tests: nothing is asserted about speed). See README.md.
// Usage: pnpm bench [--quick] [--only detection|backfill|api|transcripts|dashboard] [--sizes 10000,100000]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchmarkApi, renderApiTable } from "./api.js";
import { type BackfillResult, benchmarkBackfill, floorRatio, growthRatio } from "./backfill.js";
import { benchmarkDashboard, renderDashboardTable } from "./dashboard.js";
import { benchmarkDetection, renderDetectionTable } from "./detection.js";
import { benchmarkTranscripts, renderTranscriptTable } from "./transcripts.js";

const DEFAULT_SIZES = [10_000, 100_000];
const QUICK_SIZES = [2_000, 10_000];
const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
/** The packages the benchmarks run, by name: each must resolve to a built file. */
const BUILT = ["patternloop", "@patternloop/db", "@patternloop/core"];

function parseSizes(argv: readonly string[]): number[] {
  const at = argv.indexOf("--sizes");
  if (at !== -1) {
    const sizes = (argv[at + 1] ?? "").split(",").map(Number);
    if (sizes.length === 0 || sizes.some((size) => !Number.isSafeInteger(size) || size < 1))
      throw new Error(`--sizes takes whole numbers separated by commas, not ${JSON.stringify(argv[at + 1])}`);
    return sizes;
  }
  return argv.includes("--quick") ? QUICK_SIZES : DEFAULT_SIZES;
}

function renderTable(results: readonly BackfillResult[], ratio: number | null): string {
  const header = [
    "runs",
    "backfill s",
    "runs/s",
    "peak RSS MB",
    "floor s",
    "÷ floor",
    "ingest s",
    "ingest runs/s",
    "ingest ÷ floor",
    "ingest RSS MB",
    "replay s",
    "replay RSS MB",
    "patterns",
  ];
  const rows = results.map((r) => [
    r.runs.toLocaleString("en-US"),
    r.seconds.toFixed(2),
    r.runs_per_s.toLocaleString("en-US"),
    r.peak_rss_mb.toFixed(1),
    r.floor_seconds.toFixed(2),
    `${r.floor_ratio.toFixed(2)}×`,
    r.ingest_seconds.toFixed(2),
    r.ingest_runs_per_s.toLocaleString("en-US"),
    `${r.ingest_floor_ratio.toFixed(2)}×`,
    r.ingest_peak_rss_mb.toFixed(1),
    r.replay_seconds.toFixed(2),
    r.replay_peak_rss_mb.toFixed(1),
    String(r.patterns),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("  ");
  return [
    line(header),
    ...rows.map(line),
    ...results.flatMap((r) =>
      r.postgres === undefined
        ? []
        : [
            `PostgreSQL, ${r.runs.toLocaleString("en-US")} runs: backfill ${r.postgres.seconds.toFixed(2)} s (${r.postgres.runs_per_s.toLocaleString("en-US")} runs/s, peak RSS ${r.postgres.peak_rss_mb.toFixed(1)} MB), ${r.postgres.sqlite_ratio.toFixed(2)}× SQLite; ingest ${r.postgres.ingest_seconds.toFixed(2)} s; replay ${r.postgres.replay_seconds.toFixed(2)} s (${r.postgres.replay_sqlite_ratio.toFixed(2)}× SQLite, peak RSS ${r.postgres.replay_peak_rss_mb.toFixed(1)} MB)`,
          ],
    ),
    "",
    `per-run backfill cost, largest / smallest history: ${ratio === null ? "-" : `${ratio.toFixed(2)}×`} (1 = linear)`,
  ].join("\n");
}

/**
 * In the order they run: the short ones first. A large backfill leaves gigabytes of dirty pages that the
 * kernel writes back for minutes afterwards; measured after the 1M backfill, even the bare Hono endpoint
 * lost a third of its requests per second (37,626 against 57,000 to 71,000 on its own).
 */
const BENCHMARKS = ["detection", "api", "transcripts", "backfill", "dashboard"] as const;

/** `--only detection,api` (default: all of them). */
function parseOnly(argv: readonly string[]): Set<string> {
  const at = argv.indexOf("--only");
  if (at === -1) return new Set(BENCHMARKS);
  const names = (argv[at + 1] ?? "").split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(
      `--only takes ${BENCHMARKS.join(", ")} (comma-separated), not ${JSON.stringify(argv[at + 1])}`,
    );
  return new Set(names);
}

/** Merges `figures` into bench/results.json, keeping the keys of the benchmarks that did not run. */
function record(figures: Record<string, unknown>): void {
  const previous = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>)
    : {};
  writeFileSync(RESULTS, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
  process.stderr.write(`wrote ${RESULTS}\n`);
}

const missing = BUILT.filter((name) => {
  try {
    return !existsSync(fileURLToPath(import.meta.resolve(name)));
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  process.stderr.write(`bench: build first (pnpm build); missing ${missing.join(", ")}\n`);
  process.exit(2);
}
const argv = process.argv.slice(2);
const only = parseOnly(argv);
const quick = argv.includes("--quick");
if (only.has("detection")) {
  process.stderr.write(`detection benchmark${quick ? " (quick)" : ""}\n`);
  const detection = benchmarkDetection({ quick, log: (line) => process.stderr.write(`  ${line}\n`) });
  process.stdout.write(`\n${renderDetectionTable(detection)}\n`);
  record({ detection });
}
if (only.has("api")) {
  process.stderr.write(`API benchmark${quick ? " (quick)" : ""}\n`);
  const api = await benchmarkApi({ quick, log: (line) => process.stderr.write(`  ${line}\n`) });
  process.stdout.write(`\n${renderApiTable(api)}\n`);
  record({ api: api.results });
  if (api.problems.length > 0) process.exitCode = 1;
}
if (only.has("transcripts")) {
  process.stderr.write(`transcript benchmark${quick ? " (quick)" : ""}\n`);
  const transcripts = await benchmarkTranscripts({
    quick,
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  process.stdout.write(`\n${renderTranscriptTable(transcripts)}\n`);
  if (transcripts.result !== undefined) record({ transcripts: transcripts.result });
}
if (only.has("backfill")) {
  const sizes = parseSizes(argv);
  process.stderr.write(`backfill benchmark: ${sizes.join(", ")} runs\n`);
  const results = await benchmarkBackfill(sizes, (line) => process.stderr.write(`  ${line}\n`));
  const ratio = growthRatio(results);
  process.stdout.write(`\n${renderTable(results, ratio)}\n`);
  record({ backfill: results, backfill_growth_ratio: ratio, backfill_floor_ratio: floorRatio(results) });
}
if (only.has("dashboard")) {
  // The views of a large history only (100,000 runs; 10,000 with --quick), unless --sizes says otherwise.
  const sizes = argv.includes("--sizes") ? parseSizes(argv) : quick ? [10_000] : [100_000];
  process.stderr.write(`dashboard benchmark: ${sizes.join(", ")} runs\n`);
  const dashboard = await benchmarkDashboard(sizes, (line) => process.stderr.write(`  ${line}\n`));
  process.stdout.write(`\n${renderDashboardTable(dashboard)}\n`);
  record({ dashboard: dashboard.results, dashboard_report: dashboard.report });
}
