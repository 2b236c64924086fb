import { closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChild } from "./api-child.js";
import { runNode } from "./backfill.js";
import { patternloopBin } from "./patternloop-bin.js";

/** One view of the dashboard served by `patternloop serve` over a generated history. */
export interface DashboardResult {
  runs: number;
  view: string;
  /** The first request after the server started: every figure read from the database. */
  cold_ms: number;
  /** Median of the requests after it, on the unchanged history (the view's data is reused). */
  warm_p50_ms: number;
  warm_max_ms: number;
  /** The first request after a run was stored: the view read before it, shown while a new read runs. */
  after_write_ms: number;
  bytes: number;
}

export interface DashboardBenchmark {
  results: DashboardResult[];
  /** `report --html` of the same history, whole process. */
  report: { runs: number; seconds: number; bytes: number }[];
}

const CLI = patternloopBin();
const SEED = 1;
const WARM_REQUESTS = 7;

/**
 * For each size: generates a history, ingests and backfills it with the CLI, starts `serve` on it and times
 * each view over loopback, once cold and then warm; then times `report --html`. Temporary files are removed.
 */
export async function benchmarkDashboard(
  sizes: readonly number[],
  log: (line: string) => void,
): Promise<DashboardBenchmark> {
  const bench: DashboardBenchmark = { results: [], report: [] };
  for (const runs of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "patternloop-bench-dashboard-"));
    try {
      const history = join(dir, "history.jsonl");
      const database = join(dir, "history.sqlite");
      const out = openSync(history, "w");
      try {
        await runNode([CLI, "generate", "--runs", String(runs), "--seed", String(SEED)], out);
      } finally {
        closeSync(out);
      }
      await runNode([CLI, "ingest", "workflows", history, "--db", database, "--json"]);
      rmSync(history);
      await runNode([CLI, "backfill", "--db", database, "--json"]);
      log(`${runs} runs: generated, ingested and backfilled`);
      const top = JSON.parse(
        await runNode([CLI, "analyze", "top", "--db", database, "--json", "--limit", "1"]),
      ) as { id: number }[];
      const views: [string, string][] = [
        ["overview", "/"],
        ["patterns", "/patterns"],
        ["patterns sorted, filtered", "/patterns?sort=occurrences&dir=asc&category=test"],
        ["pattern (most runs)", `/patterns/${top[0]?.id ?? 1}`],
        ["validation", "/validation"],
      ];
      // Starting trains the predictor on the whole history: minutes on a busy machine at 100,000 runs.
      const server = await startChild(
        [CLI, "serve", "--db", database, "--port", "0", "--local-only"],
        {},
        600_000,
      );
      try {
        for (const [view, path] of views) {
          const cold = await timeGet(`${server.url}${path}`);
          const warm: number[] = [];
          for (let i = 0; i < WARM_REQUESTS; i += 1) warm.push((await timeGet(`${server.url}${path}`)).ms);
          warm.sort((a, b) => a - b);
          const result = {
            runs,
            view,
            cold_ms: round(cold.ms),
            warm_p50_ms: round(warm[Math.floor(warm.length / 2)] ?? 0),
            warm_max_ms: round(warm[warm.length - 1] ?? 0),
            after_write_ms: 0,
            bytes: cold.bytes,
          };
          log(`${runs} runs: ${view}: cold ${result.cold_ms} ms, warm ${result.warm_p50_ms} ms`);
          bench.results.push(result);
        }
        let written = 0;
        for (const [view, path] of views) {
          // A run stored before each view, then the view asked once (the read before, while a new one runs)
          // and again until it is current, so that the next view starts from a settled server.
          written += 1;
          const status = await send(
            `${server.url}/v1/runs`,
            "POST",
            JSON.stringify({ workflow_id: `bench-dashboard-${runs}-${written}`, nl_input: "run the tests" }),
          );
          if (status.status !== 201) throw new Error(`POST /v1/runs: ${status.status}`);
          const result = bench.results.find((r) => r.runs === runs && r.view === view);
          const first = await timeGet(`${server.url}${path}`);
          if (result !== undefined) result.after_write_ms = round(first.ms);
          while (!(await send(`${server.url}${path}`, "GET")).body.includes('data-freshness="current"'))
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      } finally {
        await server.stop();
      }
      const started = performance.now();
      const file = join(dir, "report.html");
      await runNode([CLI, "report", "--db", database, "--html", file]);
      const seconds = (performance.now() - started) / 1000;
      const { size } = statSync(file);
      bench.report.push({ runs, seconds: round(seconds), bytes: size });
      log(`${runs} runs: report --html in ${seconds.toFixed(1)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return bench;
}

async function timeGet(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const { status, body } = await send(url, "GET");
  const ms = performance.now() - started;
  if (status !== 200) throw new Error(`GET ${url}: ${status}`);
  return { ms, bytes: Buffer.byteLength(body) };
}

/**
 * One request on a connection of its own: a view read while the server's event loop is busy (SQLite reads
 * are synchronous) can outlast the server's keep-alive time, and a reused connection would then be reset.
 */
function send(url: string, method: "GET" | "POST", body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: body === undefined ? {} : { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function renderDashboardTable(bench: DashboardBenchmark): string {
  const header = ["runs", "view", "cold ms", "warm p50 ms", "warm max ms", "after a write ms", "KB"];
  const rows = bench.results.map((r) => [
    r.runs.toLocaleString("en-US"),
    r.view,
    r.cold_ms.toFixed(1),
    r.warm_p50_ms.toFixed(1),
    r.warm_max_ms.toFixed(1),
    r.after_write_ms.toFixed(1),
    (r.bytes / 1024).toFixed(1),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("  ");
  const reports = bench.report.map(
    (r) =>
      `report --html of ${r.runs.toLocaleString("en-US")} runs: ${r.seconds.toFixed(1)} s, ${(r.bytes / 1024).toFixed(0)} KB`,
  );
  return [line(header), ...rows.map(line), "", ...reports].join("\n");
}

const round = (value: number) => Math.round(value * 10) / 10;
