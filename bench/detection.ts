import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bashCommandOf,
  createDetector,
  type Detector,
  type IdentifiedWorkflowRecord,
  parseWorkflowRecord,
} from "@patternloop/core";
import { sharedDataFile } from "../scripts/shared-data.js";
import { patternloopBin } from "./patternloop-bin.js";

/** Options of {@link benchmarkDetection}. */
export interface DetectionOptions {
  /** Fewer generated records and fewer passes: a few seconds in all. */
  quick: boolean;
  log: (line: string) => void;
}

/** Detection throughput over one set of records. */
export interface DetectionSetResult {
  set: string;
  /** Where the records come from. */
  source: string;
  records: number;
  /** Lines that were not JSON or that `parseWorkflowRecord` refused; they are left out. */
  refused: number;
  tool_calls_per_record: number;
  bash_calls: number;
  /**
   * Different Bash command strings among `bash_calls`. A detector remembers the reading of each command, so
   * a set whose commands recur is detected mostly from that memory: this says how much a set exercises it.
   */
  distinct_bash_commands: number;
  patterns_per_record: number;
  /** The fastest timed pass: on a shared machine noise only ever slows a pass down. */
  records_per_s: number;
  median_records_per_s: number;
  passes: number;
  /** Reads of the whole set over all timed passes, each with a fresh detector. */
  timed_reads: number;
}

export interface DetectionBenchmark {
  /** `records_per_s` of the generated set: the headline figure. */
  records_per_s: number;
  sets: DetectionSetResult[];
  /**
   * One-minute load average when the benchmark started (before its own load counts), and the CPUs there are:
   * above `cpus - 1`, other work left the benchmark less than a whole CPU.
   */
  load_average: number;
  cpus: number;
  /** Inputs that were absent or not measured twice, said plainly. */
  notes: string[];
}

const SEED = 1;
const GENERATED_RUNS = { full: 10_000, quick: 2_000 };
const PASSES = { full: 15, quick: 7 };
/** Long enough for V8 to optimise the detector's hot paths before any pass is timed. */
const WARM_UP_SECONDS = 1;
/** A pass shorter than this would mostly measure timer and GC noise: a pass reads its set until this adds up. */
const MIN_PASS_SECONDS = 0.2;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE = fileURLToPath(new URL("../apps/cli/sample/workflows.jsonl", import.meta.url));

/**
 * Records per second of `createDetector()` from `@patternloop/core` on parsed workflow records: the seeded
 * generated history of `patternloop generate`, the 370 permissive real runs shipped in `apps/cli/sample`,
 * and `../shared/data/realworld-permissive` when it is present and differs from that copy. Parsing happens
 * before the clock starts; only detection is timed.
 */
export function benchmarkDetection(options: DetectionOptions): DetectionBenchmark {
  const mode = options.quick ? "quick" : "full";
  const load = loadavg()[0] ?? 0;
  const inputs = [
    generatedInput(GENERATED_RUNS[mode]),
    { set: "real (sample)", source: "apps/cli/sample/workflows.jsonl", ...readRecords(SAMPLE) },
  ];
  const notes: string[] = [];
  const shared = sharedDataFile("realworld-permissive/workflows.jsonl");
  if (shared === undefined || !existsSync(shared))
    notes.push(
      `real runs of realworld-permissive absent (${shared === undefined ? "no ../shared/data, nor $PATTERNLOOP_SHARED_DATA" : fromRoot(shared)}): measured only the repo's copy of them, apps/cli/sample`,
    );
  else if (readFileSync(shared).equals(readFileSync(SAMPLE)))
    notes.push(
      `${fromRoot(shared)} is byte-identical to apps/cli/sample/workflows.jsonl: measured once, as "real (sample)"`,
    );
  else inputs.push({ set: "real (shared)", source: fromRoot(shared), ...readRecords(shared) });
  for (const input of inputs) {
    if (input.refused > 0)
      notes.push(`${input.set}: ${input.refused} lines that are not workflow records left out`);
    if (input.records.length === 0)
      notes.push(`${input.set}: no valid records in ${input.source}, not measured`);
  }
  const measured = inputs.filter((input) => input.records.length > 0);
  options.log(
    `${measured.map((input) => `${input.set} ${input.records.length} records`).join(", ")}; warm-up, then ${PASSES[mode]} passes each`,
  );

  const measurements = measureAll(
    measured.map((input) => input.records),
    PASSES[mode],
  );
  const sets = measured.map((input, i): DetectionSetResult => {
    const { rates, reads, patterns } = measurements[i] as Measurement;
    const sorted = [...rates].sort((a, b) => a - b);
    const commands = bashCommands(input.records);
    return {
      set: input.set,
      source: input.source,
      records: input.records.length,
      refused: input.refused,
      tool_calls_per_record: round(toolCalls(input.records) / input.records.length, 2),
      bash_calls: commands.length,
      distinct_bash_commands: new Set(commands).size,
      patterns_per_record: round(patterns / input.records.length, 2),
      records_per_s: Math.round(sorted[sorted.length - 1] ?? 0),
      median_records_per_s: Math.round(median(sorted)),
      passes: sorted.length,
      timed_reads: reads,
    };
  });
  for (const r of sets)
    options.log(
      `${r.set}: best ${r.records_per_s.toLocaleString("en-US")} records/s, median ${r.median_records_per_s.toLocaleString("en-US")} (${r.passes} passes, ${r.timed_reads} reads)`,
    );
  return {
    records_per_s: sets[0]?.records_per_s ?? 0,
    sets,
    load_average: round(load, 2),
    cpus: availableParallelism(),
    notes,
  };
}

/** The benchmark as a table for stdout. */
export function renderDetectionTable(bench: DetectionBenchmark): string {
  const header = [
    "set",
    "records",
    "tool calls/rec",
    "distinct Bash",
    "patterns/rec",
    "records/s",
    "median/s",
    "passes",
    "reads",
  ];
  const rows = bench.sets.map((r) => [
    r.set,
    r.records.toLocaleString("en-US"),
    r.tool_calls_per_record.toFixed(1),
    `${r.distinct_bash_commands.toLocaleString("en-US")} of ${r.bash_calls.toLocaleString("en-US")}`,
    r.patterns_per_record.toFixed(2),
    r.records_per_s.toLocaleString("en-US"),
    r.median_records_per_s.toLocaleString("en-US"),
    String(r.passes),
    r.timed_reads.toLocaleString("en-US"),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [
    "detection (createDetector of core on parsed records; records/s = best timed pass after a warm-up):",
    line(header),
    ...rows.map(line),
    `load average ${bench.load_average} on ${bench.cpus} CPUs before the start${bench.load_average > bench.cpus - 1 ? ": the machine was busy, the figures may be low" : ""}`,
    ...bench.notes,
  ].join("\n");
}

interface Input {
  set: string;
  source: string;
  records: IdentifiedWorkflowRecord[];
  refused: number;
}

/** Generated runs go through JSON like an ingested file does, so the records have the shapes parsing gives. */
function generatedInput(runs: number): Input {
  const args = ["generate", "--runs", String(runs), "--seed", String(SEED)];
  // About 5 kB a run: room for the largest set with plenty to spare.
  const text = execFileSync(process.execPath, [patternloopBin(), ...args], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return { set: "generated", source: `patternloop ${args.join(" ")}`, ...parseLines(text.split("\n")) };
}

function readRecords(file: string): Pick<Input, "records" | "refused"> {
  return parseLines(readFileSync(file, "utf8").split("\n"));
}

function parseLines(lines: readonly string[]): Pick<Input, "records" | "refused"> {
  const records: IdentifiedWorkflowRecord[] = [];
  let refused = 0;
  for (const line of lines) {
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      refused++;
      continue;
    }
    const parsed = parseWorkflowRecord(json);
    if (parsed.success) records.push(parsed.record);
    else refused++;
  }
  return { records, refused };
}

interface Measurement {
  /** Records per second of each timed pass. */
  rates: number[];
  /** Reads of the set over all timed passes. */
  reads: number;
  /** Patterns detected in one read of the set. */
  patterns: number;
}

/**
 * Times `passes` passes over each set. Each read of a set uses a fresh detector, as a backfill does: its
 * memory of command readings starts empty, so a small set read again and again is not measured with every
 * command already remembered. The sets take turns, warm-up included, so that a burst of load from elsewhere
 * slows them alike.
 */
function measureAll(sets: readonly (readonly IdentifiedWorkflowRecord[])[], passes: number): Measurement[] {
  const measurements = sets.map((): Measurement => ({ rates: [], reads: 0, patterns: 0 }));
  const warmUpStarted = performance.now();
  for (let turn = 0; turn < 3 || since(warmUpStarted) < WARM_UP_SECONDS; turn++)
    sets.forEach((records, i) => {
      (measurements[i] as Measurement).patterns = detectAll(createDetector(), records);
    });
  for (let pass = 0; pass < passes; pass++)
    sets.forEach((records, i) => {
      timePass(records, measurements[i] as Measurement);
    });
  return measurements;
}

/** Reads the set until the reads add up to {@link MIN_PASS_SECONDS}; only the reads are timed. */
function timePass(records: readonly IdentifiedWorkflowRecord[], measurement: Measurement): void {
  let seconds = 0;
  let reads = 0;
  while (seconds < MIN_PASS_SECONDS) {
    const detect = createDetector();
    const started = performance.now();
    const found = detectAll(detect, records);
    seconds += since(started);
    reads++;
    // Using the result keeps the work from being optimised away, and checks that detection is deterministic.
    if (found !== measurement.patterns)
      throw new Error(`detection found ${found} patterns in a read of a set, ${measurement.patterns} before`);
  }
  measurement.rates.push((records.length * reads) / seconds);
  measurement.reads += reads;
}

function detectAll(detect: Detector, records: readonly IdentifiedWorkflowRecord[]): number {
  let found = 0;
  for (const record of records) found += detect(record).length;
  return found;
}

function toolCalls(records: readonly IdentifiedWorkflowRecord[]): number {
  return records.reduce((sum, record) => sum + (record.tool_calls?.length ?? 0), 0);
}

function bashCommands(records: readonly IdentifiedWorkflowRecord[]): string[] {
  return records.flatMap((record) => (record.tool_calls ?? []).map(bashCommandOf)).filter(isString);
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

/** Paths as seen from the repository, so that results.json holds no one's home directory. */
function fromRoot(path: string): string {
  return relative(ROOT, path);
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function since(started: number): number {
  return (performance.now() - started) / 1000;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
