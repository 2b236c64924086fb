/**
 * Counts the tokens and cost that a folder of Claude Code session transcripts holds, plainly and apart from
 * patternloop's parser, then compares them with what `patternloop ingest claude-code` stores.
 *
 *   pnpm build && tsx scripts/count-transcript-usage.ts [--dir DIR] [--json]
 *
 * Default folder: `../shared/data/transcripts` (or `$PATTERNLOOP_SHARED_DATA/transcripts`; not shipped with
 * the repo). The count reads every `*.jsonl` under the folder and keeps each assistant message once, by
 * `message.id` over all the files, with the usage of its LAST line (Claude Code writes a streamed message on
 * several lines; the first ones carry a partial `output_tokens`). Subagent messages count too: sidechain lines
 * and the messages Claude Code 2.x copies into `agent_progress` lines. Messages of model `<synthetic>` (written
 * by Claude Code itself) are never billed. Cost is at Anthropic's list prices, with its own table below: cache
 * writes at 1.25× the input rate for 5 minutes and 2× for 1 hour, cache reads at 0.1×, and Sonnet 4 / 4.5
 * requests over 200k prompt tokens at the long-context rates.
 *
 * The stored side: the built CLI ingests the folder into a fresh SQLite file in a temporary directory (removed
 * afterwards), and the finished runs of `workflow_history` are summed.
 *
 * Exit 0 when every figure agrees within 1 %, 1 otherwise, 2 on a usage error; 0 with a plain message when
 * the folder is absent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase, finishedRuns } from "@patternloop/db";
import { sharedDataFile } from "./shared-data.js";

/** The agreement asked of every figure. */
const TOLERANCE = 0.01;
const CLI = fileURLToPath(new URL("../apps/cli/dist/bin.js", import.meta.url));

interface Totals {
  messages: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
}

interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
}

/** USD per million tokens: input and output; every cache rate is derived from the input rate. */
const PRICES: readonly { prefix: string; input: number; output: number; longContext?: boolean }[] = [
  { prefix: "claude-opus-4-5", input: 5, output: 25 },
  { prefix: "claude-opus-4-6", input: 5, output: 25 },
  { prefix: "claude-opus-4-7", input: 5, output: 25 },
  { prefix: "claude-opus-4-8", input: 5, output: 25 },
  { prefix: "claude-opus-4-1", input: 15, output: 75 },
  { prefix: "claude-opus-4", input: 15, output: 75 },
  { prefix: "claude-sonnet-4-6", input: 3, output: 15 },
  { prefix: "claude-sonnet-4-5", input: 3, output: 15, longContext: true },
  { prefix: "claude-sonnet-4", input: 3, output: 15, longContext: true },
  { prefix: "claude-haiku-4-5", input: 1, output: 5 },
  { prefix: "claude-3-7-sonnet", input: 3, output: 15 },
  { prefix: "claude-3-5-haiku", input: 0.8, output: 4 },
];

function price(usage: Usage, model: string): number | undefined {
  // Longest prefix first: `claude-opus-4-1-2025…` is Opus 4.1, not Opus 4.
  const row = [...PRICES]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .find((candidate) => model === candidate.prefix || model.startsWith(`${candidate.prefix}-`));
  if (row === undefined) return undefined;
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
  const long = row.longContext === true && prompt > 200_000;
  const input = long ? row.input * 2 : row.input;
  const output = long ? row.output * 1.5 : row.output;
  const cacheWrite5m = usage.cacheWrite - usage.cacheWrite1h;
  return (
    (usage.input * input +
      usage.output * output +
      usage.cacheRead * input * 0.1 +
      cacheWrite5m * input * 1.25 +
      usage.cacheWrite1h * input * 2) /
    1_000_000
  );
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".jsonl"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const number = (value: unknown) => (typeof value === "number" && value > 0 ? value : 0);

/** A transcript line, as far as the count reads it; anything may be missing. */
interface Line {
  type?: string;
  data?: { type?: string; message?: Line };
  message?: {
    id?: unknown;
    model?: unknown;
    content?: unknown;
    usage?: {
      input_tokens?: unknown;
      output_tokens?: unknown;
      cache_read_input_tokens?: unknown;
      cache_creation_input_tokens?: unknown;
      cache_creation?: { ephemeral_1h_input_tokens?: unknown };
    };
  };
}

/** The plain per-message count. */
function countFolder(dir: string): Totals & { unpriced: string[] } {
  const messages = new Map<string, { usage: Usage; model: string }>();
  const toolUses = new Set<string>();
  for (const file of files(dir)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let entry: Line | undefined;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      // A subagent's message as Claude Code 2.x also writes it into the session transcript.
      if (entry?.type === "progress" && entry.data?.type === "agent_progress") entry = entry.data.message;
      const message = entry?.type === "assistant" ? entry.message : undefined;
      if (message === undefined || typeof message.id !== "string" || message.model === "<synthetic>")
        continue;
      const usage = message.usage ?? {};
      // The last line seen wins: a streamed message's final line carries its final usage.
      messages.set(message.id, {
        model: String(message.model ?? ""),
        usage: {
          input: number(usage.input_tokens),
          output: number(usage.output_tokens),
          cacheRead: number(usage.cache_read_input_tokens),
          cacheWrite: number(usage.cache_creation_input_tokens),
          cacheWrite1h: number(usage.cache_creation?.ephemeral_1h_input_tokens),
        },
      });
      for (const block of Array.isArray(message.content)
        ? (message.content as { type?: unknown; id?: unknown }[])
        : [])
        if (block?.type === "tool_use" && typeof block.id === "string") toolUses.add(block.id);
    }
  }
  const totals = { ...emptyTotals(), messages: messages.size, tool_calls: toolUses.size };
  const unpriced = new Set<string>();
  for (const { usage, model } of messages.values()) {
    totals.input_tokens += usage.input;
    totals.output_tokens += usage.output;
    totals.cache_read_tokens += usage.cacheRead;
    totals.cache_creation_tokens += usage.cacheWrite;
    const cost = price(usage, model);
    if (cost === undefined) unpriced.add(model);
    else totals.cost_usd += cost;
  }
  return { ...totals, unpriced: [...unpriced] };
}

/** What `patternloop ingest claude-code` stores for the folder, summed over `workflow_history`. */
async function countStored(dir: string): Promise<Totals & { runs: number; running: number }> {
  if (!existsSync(CLI)) usage(`${CLI} is missing: run pnpm build first`);
  const tmp = mkdtempSync(join(tmpdir(), "patternloop-transcript-count-"));
  try {
    const path = join(tmp, "transcripts.sqlite");
    const ingest = spawnSync(
      process.execPath,
      [CLI, "ingest", "claude-code", "--dir", dir, "--db", path, "--json"],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    if (ingest.status !== 0 && ingest.status !== 1)
      throw new Error(`ingest claude-code exited ${ingest.status}: ${ingest.stderr.trim()}`);
    const summary = JSON.parse(ingest.stdout) as { runs: { added: number } };
    const stored = { ...emptyTotals(), runs: 0, running: 0 };
    const database = await createDatabase(path);
    try {
      for await (const page of finishedRuns(database.db))
        for (const run of page) {
          stored.runs++;
          stored.tool_calls += run.tool_calls?.length ?? 0;
          stored.input_tokens += run.input_tokens ?? 0;
          stored.output_tokens += run.output_tokens ?? 0;
          stored.cache_read_tokens += run.cache_read_tokens ?? 0;
          stored.cache_creation_tokens += run.cache_creation_tokens ?? 0;
          stored.cost_usd += run.actual_cost_total ?? 0;
        }
    } finally {
      await database.close();
    }
    stored.running = summary.runs.added - stored.runs;
    return stored;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function emptyTotals(): Totals {
  return {
    messages: 0,
    tool_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    cost_usd: 0,
  };
}

function usage(problem: string): never {
  process.stderr.write(
    `count-transcript-usage: ${problem}\nusage: tsx scripts/count-transcript-usage.ts [--dir DIR] [--json]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let dir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dir") {
      const next = argv[++i];
      if (next === undefined) usage("--dir needs a value");
      dir = resolve(next);
      if (!existsSync(dir)) usage(`--dir ${dir}: no such folder`);
    } else if (arg === "--json") json = true;
    else usage(`unknown argument ${arg}`);
  }
  dir ??= sharedDataFile("transcripts");
  if (dir === undefined || !existsSync(dir)) {
    process.stdout.write(
      "the shared data folder is absent (../shared/data or $PATTERNLOOP_SHARED_DATA): nothing to count\n",
    );
    return;
  }
  const counted = countFolder(dir);
  const stored = await countStored(dir);
  const figures = [
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "cost_usd",
    "tool_calls",
  ] as const;
  const rows = figures.map((figure) => {
    const difference = counted[figure] === 0 ? 0 : (stored[figure] - counted[figure]) / counted[figure];
    return { figure, counted: counted[figure], stored: stored[figure], difference };
  });
  const agree = rows.every((row) => Math.abs(row.difference) <= TOLERANCE);
  if (json) process.stdout.write(`${JSON.stringify({ dir, counted, stored, rows, agree })}\n`);
  else {
    const show = (figure: string, value: number) =>
      figure === "cost_usd"
        ? `$${value.toFixed(2)}`
        : value.toLocaleString("en-US", { maximumFractionDigits: 0 });
    process.stdout.write(
      `${dir}: ${files(dir).length} files, ${counted.messages.toLocaleString("en-US")} distinct messages; ` +
        `${stored.runs} finished runs stored\n`,
    );
    process.stdout.write(
      `${"figure".padEnd(22)}${"counted".padStart(16)}${"stored".padStart(16)}  difference\n`,
    );
    for (const row of rows)
      process.stdout.write(
        `${row.figure.padEnd(22)}${show(row.figure, row.counted).padStart(16)}${show(row.figure, row.stored).padStart(16)}  ` +
          `${(row.difference * 100).toFixed(2)} %\n`,
      );
    if (counted.unpriced.length > 0)
      process.stdout.write(
        `models without a list price here (not in the cost): ${counted.unpriced.join(", ")}\n`,
      );
    if (stored.running > 0)
      process.stdout.write(`${stored.running} runs stored as running are not in the stored figures\n`);
    process.stdout.write(
      agree
        ? "every figure agrees within 1 %\n"
        : "the stored figures differ from the count by more than 1 %\n",
    );
  }
  process.exitCode = agree ? 0 : 1;
}

await main();
