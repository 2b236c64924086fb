import { claudeCodeHookSchema } from "@patternloop/core";
import { readLines } from "../lines/read-lines.js";

/** One payload of a hook log, as the receiver is to get it. */
export interface LoggedHook {
  /** Its line in the log, numbered from 1. */
  line: number;
  /** The payload as Claude Code sent it: the line without the keys the logger added (`_seq`, `_repo`, …). */
  payload: Record<string, unknown>;
  /**
   * Its place in the log (`seq:<_seq>`, or `line:<n>` for a line without `_seq`): the same payload at two
   * places is two deliveries, the same place replayed is one.
   */
  deliveryKey: string;
  /** The line as logged, annotations included: how earlier versions of `ingest hooks` identified it. */
  logged: Record<string, unknown>;
}

/** A session's payloads, in the order they are to be replayed. */
export interface LoggedSession {
  /** `""` for payloads without a `session_id` (the receiver ignores them). */
  session_id: string;
  hooks: LoggedHook[];
}

/** A hook log, read. */
export interface HookLog {
  /** Lines that are not blank, malformed ones included. */
  lines: number;
  /** Lines skipped: not UTF-8, not JSON, not an object, or not a hook payload. */
  malformed: number;
  /** In the order of their first line. */
  sessions: LoggedSession[];
}

interface Placed extends LoggedHook {
  /** `_seq`, or that of the line before it in its session for a line without one. */
  order: number;
}

/**
 * Reads a log of Claude Code hook payloads (JSON Lines, one payload a line, `-` for standard input), the one
 * reader of such logs that `ingest hooks` and the replay script share, so that a log gives the same runs
 * either way. The rules:
 * - Top-level keys starting with `_` are the logger's annotations (`_seq`, `_order`, `_repo`, …): they are
 *   taken off, so the receiver sees the payload Claude Code sent.
 * - Each session's payloads are put in `_seq` order; a line without `_seq` stays right after the line before
 *   it in its session; lines of equal order stay in the order of the log.
 * - Each payload gets a delivery key from its place in the log: its `_seq`, else its line number.
 * - A line that is not a hook payload is reported through `onProblem` with its number and skipped.
 * A missing or binary file is refused (a `PatternloopIngestError`) before anything is read.
 */
export async function readHookLog(
  file: string | undefined,
  onProblem: (line: number, problem: string) => void = () => {},
): Promise<HookLog> {
  const log: HookLog = { lines: 0, malformed: 0, sessions: [] };
  const sessions = new Map<string, Placed[]>();
  for await (const numbered of readLines(file)) {
    if (numbered.ok && numbered.line.trim() === "") continue;
    log.lines++;
    const { number } = numbered;
    const read = numbered.ok ? readLoggedLine(numbered.line) : numbered;
    if (!read.ok) {
      log.malformed++;
      onProblem(number, `skipped: ${read.problem}`);
      continue;
    }
    const { logged, payload } = read;
    const session = typeof payload.session_id === "string" ? payload.session_id : "";
    const hooks = sessions.get(session) ?? [];
    const seq = typeof logged._seq === "number" && Number.isFinite(logged._seq) ? logged._seq : undefined;
    hooks.push({
      line: number,
      payload,
      logged,
      deliveryKey: seq === undefined ? `line:${number}` : `seq:${seq}`,
      order: seq ?? hooks.at(-1)?.order ?? Number.NEGATIVE_INFINITY,
    });
    sessions.set(session, hooks);
  }
  for (const [session_id, placed] of sessions) {
    placed.sort((a, b) => a.order - b.order || a.line - b.line);
    log.sessions.push({ session_id, hooks: placed.map(({ order: _, ...hook }) => hook) });
  }
  return log;
}

type LoggedLine =
  | { ok: true; logged: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; problem: string };

/** A line's payload without its annotations, or why the line is not a hook payload. */
function readLoggedLine(line: string): LoggedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `invalid JSON (${(error as Error).message})` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { ok: false, problem: "not a JSON object" };
  const logged = json as Record<string, unknown>;
  const payload = Object.fromEntries(Object.entries(logged).filter(([key]) => !key.startsWith("_")));
  const parsed = claudeCodeHookSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "payload"}: ${issue.message}` : "invalid";
    return { ok: false, problem: `not a hook payload: ${where}` };
  }
  return { ok: true, logged, payload };
}
