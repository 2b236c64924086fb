import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { type ChildServer, startChild } from "./api-child.js";
import { patternloopBin } from "./patternloop-bin.js";
import { analyzeSchema, dropSchema, postgresProblem, redact } from "./postgres.js";

/** One endpoint measured under load. */
export interface ApiResult {
  /** `none` for the bare Hono floor, else the database engine of the server. */
  engine: "none" | "sqlite" | "postgres";
  endpoint: string;
  /** Server processes sharing the database and the load (1 unless several replicas are measured). */
  replicas?: number;
  /** Mean requests per second (autocannon's per-second samples). */
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Responses received. */
  requests: number;
  /** Responses that were not 2xx, or 2xx completions that recorded nothing new; should be 0. */
  non_2xx: number;
  seconds: number;
}

export interface ApiBenchmark {
  results: ApiResult[];
  /** Engines not measured, and why. */
  skipped: string[];
  /** Checks that failed (wrong statuses, counts that do not add up); empty when all is well. */
  problems: string[];
}

export interface ApiBenchmarkOptions {
  quick: boolean;
  log: (line: string) => void;
  /** PostgreSQL server to use (a fresh schema is created in it and dropped afterwards). */
  postgresUrl?: string;
}

/** Fixed, so that figures are comparable between runs and machines. */
export const CONNECTIONS = 32;
const DEFAULT_POSTGRES = "postgres://postgres:postgres@127.0.0.1:5432/patternloop_test";
const CLI = patternloopBin();
const FLOOR = fileURLToPath(new URL("./api-floor-server.ts", import.meta.url));

/**
 * What each completion reports: a few Bash commands that detection turns into patterns, and a Read that it
 * does not. Runs take the sets in turn.
 */
const COMMAND_SETS = [
  ["npm test", "npm run build", "git status"],
  ["pytest tests/", "ruff check .", "git diff"],
  ["cd web && npx vitest run", "npx tsc --noEmit", "git add -A", "git commit -m wip"],
  ["cargo build", "cargo test", "git log --oneline -5"],
] as const;
/** Predictions made at run start: one usually right, one usually wrong, so validation does real work. */
const PREDICTIONS = [
  { signature: "test:generic:all", confidence: 80, reason: "benchmark" },
  { signature: "lint:eslint:all", confidence: 40, reason: "benchmark" },
];

/**
 * Measures, at a fixed concurrency of {@link CONNECTIONS} connections over loopback: a bare Hono endpoint
 * (the floor), then `POST /v1/runs/{id}/complete` of `patternloop serve` on SQLite and on PostgreSQL, each
 * server in a child process of its own. Every completion is a real one: its run was registered beforehand
 * with `POST /v1/runs` (that registration is measured too), and it carries Bash tool calls that detect
 * patterns and predictions to validate. PostgreSQL is measured twice: with one server, then with two servers
 * (replicas) on one database sharing the load, since it is the engine for several replicas. Its tables are
 * analyzed between the registrations and the measured completions, as autovacuum would have done on a server
 * older than a minute (see `analyzeSchema`).
 */
export async function benchmarkApi(options: ApiBenchmarkOptions): Promise<ApiBenchmark> {
  const seconds = options.quick ? 3 : 10;
  const bench: ApiBenchmark = { results: [], skipped: [], problems: [] };

  options.log(`floor: bare Hono GET / for ${seconds} s`);
  const floor = await startChild(["--import", import.meta.resolve("tsx"), FLOOR]);
  try {
    await load({ url: `${floor.url}/`, duration: 1 });
    const result = await load({ url: `${floor.url}/`, duration: seconds });
    bench.results.push(summarize("none", "GET / (bare Hono)", result, result.non2xx));
  } finally {
    await floor.stop();
  }

  const dir = mkdtempSync(join(tmpdir(), "patternloop-bench-api-"));
  try {
    await benchmarkEngine("sqlite", join(dir, "api.sqlite"), seconds, bench, options.log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const postgresUrl = options.postgresUrl ?? process.env.PATTERNLOOP_BENCH_POSTGRES ?? DEFAULT_POSTGRES;
  const unreachable = await postgresProblem(postgresUrl);
  if (unreachable !== undefined) {
    const message = `postgres: skipped, ${redact(postgresUrl)} is unreachable (${unreachable})`;
    options.log(message);
    bench.skipped.push(message);
    return bench;
  }
  const schema = `bench_api_${process.pid}_${randomBytes(3).toString("hex")}`;
  const separator = postgresUrl.includes("?") ? "&" : "?";
  try {
    await benchmarkEngine(
      "postgres",
      `${postgresUrl}${separator}schema=${schema}`,
      seconds,
      bench,
      options.log,
    );
  } finally {
    await dropSchema(postgresUrl, schema);
  }
  // PostgreSQL is the engine for several replicas: two servers on one fresh schema, the load spread over them.
  const shared = `${schema}_2`;
  try {
    await benchmarkEngine(
      "postgres",
      `${postgresUrl}${separator}schema=${shared}`,
      seconds,
      bench,
      options.log,
      2,
    );
  } finally {
    await dropSchema(postgresUrl, shared);
  }
  return bench;
}

async function benchmarkEngine(
  engine: "sqlite" | "postgres",
  databaseUrl: string,
  seconds: number,
  bench: ApiBenchmark,
  log: (line: string) => void,
  replicas = 1,
): Promise<void> {
  const token = randomBytes(24).toString("hex");
  // One after the other: the first creates and migrates the database, the next ones join it.
  const servers: ChildServer[] = [];
  try {
    for (let i = 0; i < replicas; i++)
      servers.push(
        await startChild(
          [...serverNodeArgs(), CLI, "serve", "--db", databaseUrl, "--port", "0", "--host", "127.0.0.1"],
          { PATTERNLOOP_TOKEN: token },
        ),
      );
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  const server = servers[0] as ChildServer;
  const urls = servers.map((s) => s.url);
  // autocannon gives its connections the URLs of an array in turn (lib/run.js), though its types say string.
  const target = (replicas === 1 ? server.url : urls) as string;
  const label = replicas === 1 ? engine : `${engine}, ${replicas} replicas`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const prefix = `${engine}-${randomBytes(3).toString("hex")}`;
  let nextRun = 0;
  /** Completions recorded per command set, to check the patterns' occurrence counts at the end. */
  const completedBySet = COMMAND_SETS.map(() => 0);
  /** The signatures the server detected for each command set (from one completion's `actual`). */
  const signaturesBySet: (string[] | undefined)[] = COMMAND_SETS.map(() => undefined);

  /** Registers `count` runs with `POST /v1/runs`; returns the ids that were created (201). */
  const register = async (count: number) => {
    const created: number[] = [];
    const result = await load({
      url: target,
      amount: count,
      requests: [
        {
          method: "POST",
          path: "/v1/runs",
          headers,
          setupRequest: (request, context) => {
            const i = nextRun++;
            (context as { run?: number }).run = i;
            return {
              ...request,
              body: JSON.stringify({
                workflow_id: `${prefix}-${i}`,
                nl_input: "Fix the failing tests, rebuild and commit",
                predictions: PREDICTIONS,
              }),
            };
          },
          onResponse: (status, _body, context) => {
            const run = (context as { run?: number }).run;
            if (status === 201 && run !== undefined) created.push(run);
          },
        },
      ],
    });
    return { created, result };
  };

  /** Completes the runs of `pool`, at most once each, for `duration` s or until the pool is used up. */
  const complete = async (pool: readonly number[], duration: number | undefined) => {
    let next = 0;
    // Built before the load starts, so that the client's share of the two cores goes to sending.
    const bodies = pool.map(completionBody);
    let exhausted = false;
    let recorded = 0;
    /** Sent but not answered when the load stopped: the server may still complete them. */
    const unanswered = new Set<number>();
    let instance: autocannon.Instance | undefined;
    const result = await load(
      {
        url: target,
        ...(duration === undefined ? { amount: pool.length } : { duration }),
        requests: [
          {
            method: "POST",
            headers,
            setupRequest: (request, context) => {
              const index = next++;
              const run = pool[index];
              if (run === undefined) {
                // Used up: stop rather than complete a run twice (a repeat would be a cheap no-op).
                exhausted = true;
                instance?.stop();
              }
              const id = run ?? (pool[pool.length - 1] as number);
              (context as { run?: number }).run = id;
              unanswered.add(id);
              return {
                ...request,
                path: `/v1/runs/${prefix}-${id}/complete`,
                body: bodies[index] ?? completionBody(id),
              };
            },
            onResponse: (status, body, context) => {
              const run = (context as { run?: number }).run;
              if (run !== undefined) unanswered.delete(run);
              if (status === 200 && run !== undefined && body.includes('"recorded":true')) {
                recorded++;
                countCompleted(run);
                signaturesBySet[run % COMMAND_SETS.length] ??= (
                  JSON.parse(body) as { actual: string[] }
                ).actual;
              }
            },
          },
        ],
      },
      (started) => {
        instance = started;
      },
    );
    return { result, exhausted, recorded, unanswered: [...unanswered] };
  };

  const countCompleted = (run: number) => {
    const set = run % COMMAND_SETS.length;
    completedBySet[set] = (completedBySet[set] ?? 0) + 1;
  };

  /**
   * The completions still in flight when autocannon stopped were received by the server, or not: sending
   * each once more (a repeat is a no-op, §7) makes sure every one of those runs is completed exactly once.
   */
  const settle = async (runs: readonly number[]) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    let failed = 0;
    for (const run of runs) {
      const url = urls[run % urls.length] as string;
      const response = await fetch(`${url}/v1/runs/${prefix}-${run}/complete`, {
        method: "POST",
        headers,
        body: completionBody(run),
      });
      await response.arrayBuffer();
      if (response.status === 200) countCompleted(run);
      else failed++;
    }
    return failed;
  };

  try {
    // Warm-up: a first batch of runs, registered then completed, which also estimates the completion rate.
    const warmRuns = CONNECTIONS * 60;
    const warm = await register(warmRuns);
    const warmDone = await complete(warm.created, undefined);
    // The best second of the warm-up: a process still warming up is slower than it will be.
    const estimate = Math.max(
      warmDone.result.requests.max,
      warmDone.result.requests.total / Math.max(warmDone.result.duration, 0.1),
    );
    // Enough runs that the measured completions do not run out even at three times that rate.
    const poolSize = Math.ceil(estimate * seconds * 3) + CONNECTIONS * 10;
    log(
      `${label}: warm-up ${warm.created.length} runs at ~${Math.round(estimate)} completions/s; registering ${poolSize} runs`,
    );
    const registration = await register(poolSize);
    bench.results.push(
      summarize(
        engine,
        "POST /v1/runs",
        registration.result,
        poolSize - registration.created.length,
        replicas,
      ),
    );
    if (engine === "postgres") await analyzeSchema(...schemaOf(databaseUrl));
    log(`${label}: completing for ${seconds} s`);
    const measured = await complete(registration.created, seconds);
    const notRecorded = measured.result.requests.total - measured.recorded;
    if ((await settle(measured.unanswered)) > 0)
      bench.problems.push(`${label}: a repeated completion of a run in flight at the end did not answer 200`);
    bench.results.push(
      summarize(engine, "POST /v1/runs/{id}/complete", measured.result, notRecorded, replicas),
    );
    if (measured.exhausted)
      bench.problems.push(
        `${label}: the ${registration.created.length} registered runs were used up before ${seconds} s; the rate is over ${measured.result.duration.toFixed(1)} s`,
      );
    for (const [what, result, bad] of [
      ["registration", registration.result, poolSize - registration.created.length],
      ["completion", measured.result, notRecorded],
    ] as const)
      if (bad > 0 || result.errors > 0)
        bench.problems.push(
          `${label}: ${bad} ${what} requests did not succeed, ${result.errors} connection errors; server stderr: ${servers.map((s) => s.stderrTail().slice(-1_000)).join(" | ")}`,
        );
    const mismatch = await checkOccurrences(server.url, completedBySet, signaturesBySet);
    if (mismatch !== undefined) bench.problems.push(`${label}: ${mismatch}`);
    else
      log(
        `${label}: occurrence counts match the ${completedBySet.reduce((a, b) => a + b, 0)} completions recorded (${signaturesBySet.map((s) => (s ?? []).join(" ")).join(" | ")})`,
      );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/**
 * Extra node options for the server under test, from PATTERNLOOP_BENCH_SERVER_NODE_ARGS (space-separated), to
 * profile it: `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses --cpu-prof).
 */
function serverNodeArgs(): string[] {
  return (process.env.PATTERNLOOP_BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
}

/** The server URL without its `schema` parameter, and that schema. */
function schemaOf(databaseUrl: string): [url: string, schema: string] {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "public";
  url.searchParams.delete("schema");
  return [url.toString(), schema];
}

function completionBody(run: number): string {
  const commands = COMMAND_SETS[run % COMMAND_SETS.length] ?? COMMAND_SETS[0];
  const calls = [
    {
      tool_name: "Read",
      tool_input: { file_path: "src/index.ts" },
      success: true,
      tool_use_id: `toolu_${run}_r`,
    },
    ...commands.map((command, i) => ({
      tool_name: "Bash",
      tool_input: { command, description: "benchmark" },
      success: true,
      duration_ms: 1_200,
      tool_use_id: `toolu_${run}_${i}`,
    })),
  ];
  return JSON.stringify({
    status: "completed",
    duration_seconds: 95,
    input_tokens: 12_000,
    output_tokens: 2_400,
    cache_read_tokens: 40_000,
    total_tokens: 54_400,
    actual_cost_total: 0.084,
    model_used: "claude-sonnet-4-5",
    tool_calls: calls,
  });
}

/**
 * Every pattern's `occurrence_count` must equal the recorded completions whose commands detect it: exact
 * counts under {@link CONNECTIONS} concurrent writers. `signaturesBySet` holds what the server reported as
 * detected (`actual`) for one completion of each command set.
 */
async function checkOccurrences(
  url: string,
  completedBySet: readonly number[],
  signaturesBySet: readonly (readonly string[] | undefined)[],
): Promise<string | undefined> {
  const response = await fetch(`${url}/v1/patterns?sort=top&limit=1000`);
  const { patterns } = (await response.json()) as {
    patterns: { pattern_signature: string; occurrence_count: number }[];
  };
  const expected = new Map<string, number>();
  COMMAND_SETS.forEach((_, set) => {
    for (const signature of signaturesBySet[set] ?? [])
      expected.set(signature, (expected.get(signature) ?? 0) + (completedBySet[set] ?? 0));
  });
  if (expected.size === 0) return "no completion detected any pattern";
  const seen = new Set(patterns.map((p) => p.pattern_signature));
  const wrong = [
    ...patterns
      .filter((p) => (expected.get(p.pattern_signature) ?? 0) !== p.occurrence_count)
      .map(
        (p) =>
          `${p.pattern_signature} ${p.occurrence_count} (expected ${expected.get(p.pattern_signature) ?? 0})`,
      ),
    ...[...expected.keys()].filter((signature) => !seen.has(signature)).map((s) => `${s} missing`),
  ];
  return wrong.length === 0 ? undefined : `occurrence counts do not add up: ${wrong.join(", ")}`;
}

/** Runs autocannon at {@link CONNECTIONS} connections; `started` gets the instance (to stop it early). */
function load(
  options: Omit<autocannon.Options, "connections">,
  started?: (instance: autocannon.Instance) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { connections: CONNECTIONS, pipelining: 1, timeout: 30, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    started?.(instance);
  });
}

function summarize(
  engine: ApiResult["engine"],
  endpoint: string,
  result: autocannon.Result,
  failures: number,
  replicas = 1,
): ApiResult {
  return {
    engine,
    endpoint,
    ...(replicas === 1 ? {} : { replicas }),
    rps: Math.round(result.requests.average),
    p50_ms: round(result.latency.p50, 2),
    p99_ms: round(result.latency.p99, 2),
    requests: result.requests.total,
    non_2xx: Math.max(result.non2xx, failures),
    seconds: round(result.duration, 1),
  };
}

/** The table printed on stdout. */
export function renderApiTable(bench: ApiBenchmark): string {
  const header = ["engine", "endpoint", "req/s", "p50 ms", "p99 ms", "requests", "failed"];
  const rows = bench.results.map((r) => [
    r.replicas === undefined ? r.engine : `${r.engine} ×${r.replicas}`,
    r.endpoint,
    r.rps.toLocaleString("en-US"),
    String(r.p50_ms),
    String(r.p99_ms),
    r.requests.toLocaleString("en-US"),
    String(r.non_2xx),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [
    `API at ${CONNECTIONS} concurrent connections over loopback (autocannon; latency in whole ms):`,
    line(header),
    ...rows.map(line),
    ...bench.skipped,
    ...bench.problems.map((problem) => `PROBLEM ${problem}`),
  ].join("\n");
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
