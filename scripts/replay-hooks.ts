/**
 * Replays real Claude Code hook sessions through `POST /v1/hooks/claude-code` of a real server, then replays
 * them again and proves the second delivery changed nothing (§7: the same delivery twice = once).
 *
 *   pnpm build && pnpm replay:hooks [--file F | --permissive] [--db URL] [--once] [--concurrency 4] [--keep]
 *
 * Default input: `../shared/data/realworld/hook_events.jsonl` (not shipped with the repo; `--permissive` takes
 * `realworld-permissive/`). The server is `startServer` of the built `apps/api`, on 127.0.0.1, a random port
 * and a random token, over a fresh SQLite file in a temporary directory (removed afterwards unless `--keep`)
 * or over `--db URL` (kept as it is). The log is read by `readHookLog` of `@patternloop/ingest`, the reader
 * `patternloop ingest hooks` uses, so both store the same runs from one log: the server receives each payload
 * as Claude Code sent it (the data file's `_seq`, `_order`, `_repo`, … taken off), each session's payloads in
 * the log's order, one at a time (a few sessions run concurrently), each with its place in the log as its
 * `Patternloop-Delivery-Key`. Lines that are not hook payloads are reported and skipped.
 *
 * Exit 0 when the second replay changed nothing and the integrity check passes, 1 otherwise (a malformed line
 * included), 2 on a usage error; 0 with a plain message when the data file is absent.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DELIVERY_KEY_HEADER, HOOK_OUTCOME_HEADER, startServer } from "@patternloop/api";
import {
  checkIntegrity,
  countPendingHookEvents,
  createDatabase,
  type PatternloopDatabase,
} from "@patternloop/db";
import { type LoggedSession, readHookLog } from "@patternloop/ingest";
import { sharedDataFile } from "./shared-data.js";

/** Columns that hold the wall-clock time of a write, so they may differ between two deliveries. */
const WALL_CLOCK = new Set([
  "created_at",
  "updated_at",
  "detected_at",
  "received_at",
  "predicted_at",
  "validated_at",
  "changed_at",
  "processed_at",
  "claimed_until",
]);
const TABLES = [
  "workflow_history",
  "workflow_tool_calls",
  "operation_patterns",
  "pattern_occurrences",
  "pattern_predictions",
  "pattern_status_history",
  "ingest_sources",
  "claude_code_sessions",
  "hook_deliveries",
  "hook_inbox",
] as const;
type Table = (typeof TABLES)[number];

interface Options {
  file: string | undefined;
  explicitFile: boolean;
  db: string | undefined;
  twice: boolean;
  concurrency: number;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    file: undefined,
    explicitFile: false,
    db: undefined,
    twice: true,
    concurrency: 4,
    keep: false,
  };
  const value = (i: number, flag: string) => {
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) usage(`${flag} needs a value`);
    return next as string;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--file") {
      options.file = resolve(value(i++, arg));
      options.explicitFile = true;
    } else if (arg === "--permissive")
      options.file = sharedDataFile("realworld-permissive/hook_events.jsonl");
    else if (arg === "--db") options.db = value(i++, arg);
    else if (arg === "--twice") options.twice = true;
    else if (arg === "--once") options.twice = false;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--concurrency") {
      options.concurrency = Number(value(i++, arg));
      if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
        usage("--concurrency takes a whole number ≥ 1");
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write(
        "usage: pnpm replay:hooks [--file F | --permissive] [--db URL] [--twice | --once] [--concurrency N] [--keep]\n",
      );
      process.exit(0);
    } else usage(`unknown argument ${JSON.stringify(arg)}`);
  }
  options.file ??= sharedDataFile("realworld/hook_events.jsonl");
  return options;
}

function usage(message: string): never {
  process.stderr.write(`replay-hooks: ${message}\n`);
  process.exit(2);
}

/** What one replay of the file got back. */
interface ReplayTally {
  sent: number;
  byStatus: Map<string, number>;
  /** By the receiver's `Patternloop-Hook` header: kept, duplicate, ignored. */
  byOutcome: Map<string, number>;
  seconds: number;
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

async function replay(
  url: string,
  token: string,
  sessions: readonly LoggedSession[],
  concurrency: number,
): Promise<ReplayTally> {
  const tally: ReplayTally = {
    sent: 0,
    byStatus: new Map(),
    byOutcome: new Map(),
    seconds: 0,
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < sessions.length; at = next++) {
      for (const hook of (sessions[at] as LoggedSession).hooks) {
        const response = await fetch(`${url}/v1/hooks/claude-code`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${token}`,
            [DELIVERY_KEY_HEADER]: hook.deliveryKey,
          },
          body: JSON.stringify(hook.payload),
        });
        tally.sent++;
        bump(tally.byStatus, String(response.status));
        await response.arrayBuffer();
        bump(tally.byOutcome, response.headers.get(HOOK_OUTCOME_HEADER) ?? `(none, HTTP ${response.status})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sessions.length) }, worker));
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

type Counts = Record<string, number>;

async function countRows(database: PatternloopDatabase): Promise<Counts> {
  const { db } = database;
  const counts: Counts = {};
  for (const table of TABLES)
    counts[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  for (const row of await db
    .selectFrom("workflow_history")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute())
    counts[`runs ${row.status}`] = Number(row.n);
  counts["predictions validated"] = Number(
    (
      await db
        .selectFrom("pattern_predictions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("was_correct", "is not", null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return counts;
}

/** Every row of every table, minus the wall-clock columns, as sorted JSON strings. */
async function snapshot(database: PatternloopDatabase): Promise<Map<Table, string[]>> {
  const tables = new Map<Table, string[]>();
  for (const table of TABLES) {
    const rows = (await database.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    tables.set(
      table,
      rows
        .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !WALL_CLOCK.has(column))))
        .sort(),
    );
  }
  return tables;
}

/** Lines describing how `after` differs from `before`; empty when they are equal. */
function differences(before: Map<Table, string[]>, after: Map<Table, string[]>): string[] {
  const lines: string[] = [];
  const show = (row: string) => (row.length > 300 ? `${row.slice(0, 300)}…` : row);
  for (const table of TABLES) {
    const remaining = new Map<string, number>();
    for (const row of before.get(table) ?? []) bump(remaining, row);
    const added: string[] = [];
    for (const row of after.get(table) ?? []) {
      const left = remaining.get(row) ?? 0;
      if (left > 0) remaining.set(row, left - 1);
      else added.push(row);
    }
    const removed = [...remaining].flatMap(([row, n]) => Array<string>(n).fill(row));
    if (added.length === 0 && removed.length === 0) continue;
    lines.push(`  ${table}: ${removed.length} rows gone or changed, ${added.length} rows new or changed`);
    for (const row of removed.slice(0, 3)) lines.push(`    - ${show(row)}`);
    for (const row of added.slice(0, 3)) lines.push(`    + ${show(row)}`);
  }
  return lines;
}

const n = (value: number) => value.toLocaleString("en-US");
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

function printTally(label: string, tally: ReplayTally): void {
  console.log(
    `${label}: ${n(tally.sent)} events sent in ${tally.seconds.toFixed(1)} s (${n(Math.round(tally.sent / tally.seconds))} events/s)`,
  );
  console.log(
    `  by status: ${sorted(tally.byStatus)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(", ")}`,
  );
  console.log(
    `  by outcome: ${sorted(tally.byOutcome)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(", ")}`,
  );
}

/** Waits until the server has applied every event it kept (it does so after answering). */
async function applied(database: PatternloopDatabase): Promise<void> {
  while ((await countPendingHookEvents(database.db)) > 0) await new Promise((done) => setTimeout(done, 50));
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.file === undefined || !existsSync(options.file)) {
    if (options.explicitFile) usage(`no file ${options.file}`);
    console.log(
      `hook data absent (${options.file ?? "no ../shared/data and no PATTERNLOOP_SHARED_DATA"}): nothing replayed`,
    );
    return 0;
  }
  const { sessions, lines, malformed } = await readHookLog(options.file, (line, problem) =>
    console.log(`line ${line}: ${problem}`),
  );
  const events = lines - malformed;
  console.log(
    `${options.file}: ${n(events)} hook events in ${n(sessions.length)} sessions` +
      `${malformed > 0 ? `; ${n(malformed)} malformed lines skipped` : ""}`,
  );

  const dir = options.db === undefined ? mkdtempSync(join(tmpdir(), "patternloop-replay-")) : undefined;
  const databaseUrl = options.db ?? join(dir as string, "replay.sqlite");
  const token = randomBytes(24).toString("hex");
  let validationLogs = 0;
  const server = await startServer({
    databaseUrl,
    port: 0,
    host: "127.0.0.1",
    token,
    log: (line) => {
      if (line.startsWith("[validator] workflow ")) validationLogs++;
    },
  });
  // A read-only handle of our own for counts and snapshots, used only while no replay is running.
  const reader = await createDatabase(databaseUrl);
  let failed = malformed > 0;
  try {
    console.log(`server ${server.url} over ${reader.url}, ${options.concurrency} sessions at a time\n`);
    const before = await countRows(reader);
    const first = await replay(server.url, token, sessions, options.concurrency);
    await applied(reader);
    printTally("replay 1", first);
    const after = await countRows(reader);
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    console.log(
      `  runs created: ${n(delta("workflow_history"))} (completed ${n(delta("runs completed"))}, still running ${n(delta("runs running"))}, failed ${n(delta("runs failed"))})`,
    );
    console.log(`  tool calls stored: ${n(delta("workflow_tool_calls"))}`);
    console.log(
      `  patterns: ${n(delta("operation_patterns"))} new (${n(after.operation_patterns ?? 0)} in all), occurrences: ${n(delta("pattern_occurrences"))}`,
    );
    console.log(
      `  predictions: ${n(delta("pattern_predictions"))}, validated ${n(delta("predictions validated"))} (${n(validationLogs)} runs validated)`,
    );
    console.log(
      `  sessions stored: ${n(delta("claude_code_sessions"))}, distinct deliveries stored: ${n(delta("hook_deliveries"))}`,
    );

    const top = (await (await fetch(`${server.url}/v1/patterns?sort=top&limit=10`)).json()) as {
      patterns: { pattern_signature: string; occurrence_count: number }[];
    };
    console.log("\ntop 10 patterns (GET /v1/patterns?sort=top&limit=10):");
    for (const pattern of top.patterns)
      console.log(`  ${n(pattern.occurrence_count).padStart(6)}  ${pattern.pattern_signature}`);

    if (options.twice) {
      const once = await snapshot(reader);
      console.log("");
      const second = await replay(server.url, token, sessions, options.concurrency);
      await applied(reader);
      printTally("replay 2 (same file again)", second);
      const changes = differences(once, await snapshot(reader));
      if (changes.length === 0)
        console.log(
          `second replay changed nothing (every row of ${TABLES.length} tables compared, ${[...WALL_CLOCK].join(", ")} excluded)`,
        );
      else {
        failed = true;
        console.log("second replay CHANGED the database:");
        for (const line of changes) console.log(line);
      }
    }

    const report = await checkIntegrity(reader.db);
    console.log(
      `\nintegrity (patternloop check): ${n(report.workflows)} runs, ${n(report.patterns)} patterns, ${n(report.occurrences)} occurrences, ${n(report.predictions)} predictions`,
    );
    for (const violation of report.violations)
      console.log(`VIOLATION ${violation.code}: ${violation.message}`);
    console.log(
      report.violations.length === 0 ? "integrity: ok" : `integrity: ${report.violations.length} violations`,
    );
    if (report.violations.length > 0) failed = true;
  } finally {
    await reader.close();
    await server.close();
    if (dir !== undefined) {
      if (options.keep) console.log(`kept ${databaseUrl}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
