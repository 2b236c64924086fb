import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sharedDataFile } from "../scripts/shared-data.js";
import { runNode } from "./backfill.js";
import { patternloopBin } from "./patternloop-bin.js";

/** What the transcript benchmark measured: the fastest of its rounds for each figure, whole processes. */
export interface TranscriptResult {
  source: string;
  files: number;
  runs: number;
  /** `patternloop ingest claude-code` into a new SQLite file. */
  ingest_seconds: number;
  /** Node reading every file and JSON-parsing each line (transcripts-floor.mjs). */
  floor_seconds: number;
  /** `ingest_seconds / floor_seconds`. */
  floor_ratio: number;
  /** The same ingest again, every file unchanged. */
  reingest_seconds: number;
  /** Node `stat`-ing every file (transcripts-floor.mjs --stat). */
  stat_floor_seconds: number;
  /** `reingest_seconds / stat_floor_seconds`. */
  reingest_ratio: number;
  rounds: number;
}

export interface TranscriptBenchmark {
  result: TranscriptResult | undefined;
  /** Why nothing was measured. */
  skipped: string | undefined;
}

const CLI = patternloopBin();
const FLOOR = fileURLToPath(new URL("./transcripts-floor.mjs", import.meta.url));

/**
 * Times `ingest claude-code` of `../shared/data/transcripts` beside the floors it is held to, the four
 * processes in turn for each round (so that a slower spell of a shared machine falls on all of them), and
 * keeps each one's fastest round: noise only ever slows a process down.
 */
export async function benchmarkTranscripts(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<TranscriptBenchmark> {
  const source = sharedDataFile("transcripts");
  if (source === undefined)
    return { result: undefined, skipped: "no ../shared/data (nor $PATTERNLOOP_SHARED_DATA): not measured" };
  const rounds = options.quick ? 2 : 5;
  const best = { ingest: Infinity, floor: Infinity, reingest: Infinity, stat: Infinity };
  let files = 0;
  let runs = 0;
  for (let round = 1; round <= rounds; round++) {
    const dir = mkdtempSync(join(tmpdir(), "patternloop-transcripts-"));
    try {
      const db = join(dir, "history.sqlite");
      const ingest = ["ingest", "claude-code", "--dir", source, "--db", db, "--json"];
      let started = performance.now();
      const summary = JSON.parse(await runNode([CLI, ...ingest])) as {
        files: { found: number };
        runs: { added: number };
      };
      best.ingest = Math.min(best.ingest, since(started));
      files = summary.files.found;
      runs = summary.runs.added;
      started = performance.now();
      await runNode([FLOOR, source]);
      best.floor = Math.min(best.floor, since(started));
      started = performance.now();
      await runNode([CLI, ...ingest]);
      best.reingest = Math.min(best.reingest, since(started));
      started = performance.now();
      await runNode([FLOOR, source, "--stat"]);
      best.stat = Math.min(best.stat, since(started));
      options.log(
        `round ${round}: ingest ${best.ingest.toFixed(2)} s, floor ${best.floor.toFixed(2)} s, again ${best.reingest.toFixed(2)} s, stat ${best.stat.toFixed(2)} s (best so far)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    skipped: undefined,
    result: {
      source: "../shared/data/transcripts",
      files,
      runs,
      ingest_seconds: round2(best.ingest),
      floor_seconds: round2(best.floor),
      floor_ratio: round2(best.ingest / best.floor),
      reingest_seconds: round2(best.reingest),
      stat_floor_seconds: round2(best.stat),
      reingest_ratio: round2(best.reingest / best.stat),
      rounds,
    },
  };
}

export function renderTranscriptTable(benchmark: TranscriptBenchmark): string {
  const r = benchmark.result;
  if (r === undefined) return `transcripts: ${benchmark.skipped}`;
  return [
    `transcripts (${r.source}: ${r.files} files, ${r.runs} runs; fastest of ${r.rounds} rounds, whole processes)`,
    `  ingest claude-code   ${r.ingest_seconds.toFixed(2)} s   read + JSON.parse floor ${r.floor_seconds.toFixed(2)} s   ÷ floor ${r.floor_ratio.toFixed(2)}×`,
    `  again, unchanged     ${r.reingest_seconds.toFixed(2)} s   stat floor ${r.stat_floor_seconds.toFixed(2)} s   ÷ floor ${r.reingest_ratio.toFixed(2)}×`,
  ].join("\n");
}

function since(started: number): number {
  return (performance.now() - started) / 1000;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
