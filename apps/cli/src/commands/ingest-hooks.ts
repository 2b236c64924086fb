import { claudeCodeHookSchema } from "@patternloop/core";
import { refreshMonthlySavings } from "@patternloop/db";
import {
  closeSessionRuns,
  type HookOutcome,
  receiveClaudeCodeHook,
  trainPredictor,
} from "@patternloop/validator";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import { readLines } from "../io/read-lines.js";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { count } from "../output/format.js";
import { reportingProblems } from "../output/problem-log.js";

export interface IngestHooksOptions extends DatabaseOption {
  json?: boolean;
  verbose?: boolean;
  /** Leaves running the runs of sessions still open at the end of the log (a log still being written). */
  leaveOpen?: boolean;
}

export interface IngestHooksSummary {
  lines: number;
  sessions: number;
  /** Payloads by what the receiver did with them: started, tool_call, completed, ignored, duplicate. */
  events: Record<HookOutcome["action"], number>;
  /** Runs started (a prompt, or tool calls of a session whose prompt the log does not have). */
  runs: number;
  tool_calls: number;
  /** Runs closed because the log has no later event of their session (none with `--leave-open`). */
  closed_idle: number;
  malformed: number;
}

/** One payload of the log, where it was and where it goes in its session. */
interface LoggedHook {
  line: number;
  payload: Record<string, unknown>;
  /** `_seq`, or that of the line before it for a line without one, so it stays where the log put it. */
  order: number;
}

/**
 * Replays a log of Claude Code hook payloads (one JSON object per line, as the hooks received them) through
 * the API's receiver (§7): each session's payloads in `_seq` order, lines without `_seq` where the log has
 * them. The receiver keeps a digest of every payload, so replaying the same log again changes nothing.
 *
 * Payloads carry no time, so a session goes quiet by the log's own order: once its last payload is replayed,
 * a run it still has open (no `Stop` or `SessionEnd` came) is closed as the receiver closes a session idle
 * for its idle time, completed and validated like any run. `leaveOpen` leaves such runs running, for a log
 * of sessions still going on.
 */
export async function ingestHooks(
  file: string,
  options: IngestHooksOptions,
  onProblem: (line: number, problem: string) => void,
  log: (line: string) => void,
): Promise<IngestHooksSummary> {
  const summary: IngestHooksSummary = {
    lines: 0,
    sessions: 0,
    events: { started: 0, tool_call: 0, completed: 0, ignored: 0, duplicate: 0 },
    runs: 0,
    tool_calls: 0,
    closed_idle: 0,
    malformed: 0,
  };
  const sessions = new Map<string, LoggedHook[]>();
  for await (const numbered of readLines(file)) {
    if (numbered.ok && numbered.line.trim() === "") continue;
    summary.lines++;
    const { number } = numbered;
    const read = numbered.ok ? readPayload(numbered.line) : numbered;
    if (!read.ok) {
      summary.malformed++;
      onProblem(number, `skipped: ${read.problem}`);
      continue;
    }
    const { payload } = read;
    const session = typeof payload.session_id === "string" ? payload.session_id : "";
    const hooks = sessions.get(session) ?? [];
    const seq = payload._seq;
    const order =
      typeof seq === "number" && Number.isFinite(seq)
        ? seq
        : (hooks.at(-1)?.order ?? Number.NEGATIVE_INFINITY);
    hooks.push({ line: number, payload, order });
    sessions.set(session, hooks);
  }
  summary.sessions = [...sessions.keys()].filter((session) => session !== "").length;
  await withDatabase(options, { create: true }, async (database) => {
    const predictor = await trainPredictor(database.db);
    for (const [session, hooks] of sessions) {
      hooks.sort((a, b) => a.order - b.order || a.line - b.line);
      for (const hook of hooks) {
        const outcome = await receiveClaudeCodeHook(database, hook.payload, { predictor, log });
        summary.events[outcome.action]++;
        if (outcome.action === "tool_call") summary.tool_calls++;
        if (outcome.action === "started" || outcome.opened_run) summary.runs++;
      }
      if (options.leaveOpen || session === "") continue;
      const { closed, failed } = await closeSessionRuns(database, [session], { predictor, log });
      summary.closed_idle += closed.filter((closure) => closure.recorded).length;
      const failure = failed[0];
      if (failure !== undefined)
        throw new CliError(`closing run ${failure.workflow_id} failed: ${failure.message}`, EXIT.failed);
    }
    // The runs replayed may widen the history's span, which every pattern's monthly savings is divided by.
    if (summary.runs > 0) await refreshMonthlySavings(database.db);
  });
  return summary;
}

/** The payload of a line, or why it is not one. */
function readPayload(
  line: string,
): { ok: true; payload: Record<string, unknown> } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `invalid JSON (${(error as Error).message})` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { ok: false, problem: "not a JSON object" };
  const parsed = claudeCodeHookSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "payload"}: ${issue.message}` : "invalid";
    return { ok: false, problem: `not a hook payload: ${where}` };
  }
  return { ok: true, payload: json as Record<string, unknown> };
}

export function describeIngestHooks(summary: IngestHooksSummary): string {
  const events = Object.entries(summary.events)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${action} ${count(n)}`)
    .join(", ");
  return (
    `${count(summary.lines)} payloads in ${count(summary.sessions)} sessions: ${events || "none"}\n` +
    `runs started: ${count(summary.runs)}, tool calls added: ${count(summary.tool_calls)}` +
    `${summary.closed_idle > 0 ? `, runs closed at their session's last event: ${count(summary.closed_idle)}` : ""}` +
    `${summary.malformed > 0 ? `; ${count(summary.malformed)} malformed lines skipped` : ""}\n`
  );
}

/** `patternloop ingest hooks`, under the `ingest` command. */
export function registerIngestHooks(ingest: Command): void {
  ingest
    .command("hooks")
    .description(
      "replay a log of Claude Code hook payloads (JSON Lines) through the hook receiver; a run still open " +
        "after its session's last payload in the log (no Stop came) is closed then, as `serve` closes a " +
        "session idle for --idle-timeout",
    )
    .argument("<file>", "JSON Lines file of hook payloads (`-` for standard input)")
    .option("--db <url>", "database: SQLite file path, sqlite:…, or postgres://… (created if missing)")
    .option("--json", "print the summary as JSON")
    .option("--verbose", "print the validation log lines on stderr")
    .option("--leave-open", "leave running the runs still open at the end of the log (sessions going on)")
    .action(async (file: string, options: IngestHooksOptions) => {
      const summary = await reportingProblems((report) =>
        ingestHooks(
          file,
          options,
          (line, problem) => report(`line ${line}: ${problem}`),
          (line) => {
            if (options.verbose) process.stderr.write(`${line}\n`);
          },
        ),
      );
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : describeIngestHooks(summary));
      if (summary.malformed > 0) process.exitCode = EXIT.failed;
    });
}
