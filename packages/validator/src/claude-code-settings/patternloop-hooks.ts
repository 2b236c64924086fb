import { type ClaudeCodeVersion, formatVersion, isAtLeast } from "./claude-code-version.js";
import type { HookEntry } from "./hook-entries.js";
import type { JsonObject } from "./settings-document.js";

/** The receiver's route for Claude Code's own hook payloads (`apps/api`'s hook routes). */
export const HOOK_ROUTE = "/v1/hooks/claude-code";
/** Where `patternloop serve` listens by default. */
export const DEFAULT_HOOK_URL = `http://127.0.0.1:8787${HOOK_ROUTE}`;
/** The environment variable the token is read from when a hook runs; no file ever holds the token itself. */
export const TOKEN_VARIABLE = "PATTERNLOOP_TOKEN";
/** The first Claude Code with `"type": "http"` hooks. */
export const HTTP_HOOKS_SINCE: ClaudeCodeVersion = { major: 2, minor: 1, patch: 63 };

/** `http` hooks for Claude Code 2.1.63 and later, `command` hooks posting with curl for older ones. */
export type HookKind = "http" | "command";

interface PatternloopEvent {
  event: string;
  /** Tool events match every tool; the others take no matcher. */
  matcher?: string;
  /** Seconds Claude Code waits for the hook (the receiver answers fast; this bounds a hung receiver). */
  timeout: number;
  /**
   * The first Claude Code that knows the event. An older one skips the whole settings file when it meets
   * an event it does not know, so such an event is left out for it.
   */
  since?: ClaudeCodeVersion;
}

const EVENTS: readonly PatternloopEvent[] = [
  // UserPromptSubmit holds the prompt until the hook answers: a few seconds at most.
  { event: "UserPromptSubmit", timeout: 5 },
  { event: "PostToolUse", matcher: "*", timeout: 5 },
  { event: "PostToolUseFailure", matcher: "*", timeout: 5, since: { major: 2, minor: 1, patch: 0 } },
  // Completing a run detects and validates: more time, still bounded.
  { event: "Stop", timeout: 10 },
  { event: "StopFailure", timeout: 10, since: { major: 2, minor: 1, patch: 78 } },
  // All SessionEnd hooks share a budget of about 1.5 s before Claude Code exits.
  { event: "SessionEnd", timeout: 1.5 },
];

/** Every event patternloop hooks into. */
export const PATTERNLOOP_EVENTS: readonly string[] = EVENTS.map((event) => event.event);

export interface PatternloopHooks {
  entries: HookEntry[];
  /** Events left out because the installed Claude Code predates them, with the version that added each. */
  leftOut: { event: string; since: string }[];
}

/** The hook entries patternloop needs, for a Claude Code `version` when it is known (all of them when not). */
export function patternloopHooks(url: string, kind: HookKind, version?: ClaudeCodeVersion): PatternloopHooks {
  const entries: HookEntry[] = [];
  const leftOut: PatternloopHooks["leftOut"] = [];
  for (const event of EVENTS) {
    if (version !== undefined && event.since !== undefined && !isAtLeast(version, event.since)) {
      leftOut.push({ event: event.event, since: formatVersion(event.since) });
      continue;
    }
    const handler = kind === "http" ? httpHandler(url, event.timeout) : commandHandler(url, event.timeout);
    entries.push({
      event: event.event,
      ...(event.matcher === undefined ? {} : { matcher: event.matcher }),
      handler,
    });
  }
  return { entries, leftOut };
}

/**
 * Whether a hook handler is one of patternloop's, whatever `init` wrote it with: it posts to the receiver's
 * route or it sends `$PATTERNLOOP_TOKEN`. (A hook posting to another address with the token is a receiver
 * behind a proxy; one to the route with a literal token is from before `init`.)
 */
export function isPatternloopHook(handler: JsonObject): boolean {
  if (handler.type === "http")
    return (
      (typeof handler.url === "string" && handler.url.includes(HOOK_ROUTE)) ||
      JSON.stringify([handler.headers, handler.allowedEnvVars]).includes(TOKEN_VARIABLE)
    );
  if (handler.type === "command")
    return (
      typeof handler.command === "string" &&
      (handler.command.includes(HOOK_ROUTE) || handler.command.includes(TOKEN_VARIABLE))
    );
  return false;
}

function httpHandler(url: string, timeout: number): JsonObject {
  return {
    type: "http",
    url,
    timeout,
    headers: { Authorization: `Bearer $${TOKEN_VARIABLE}` },
    allowedEnvVars: [TOKEN_VARIABLE],
  };
}

/**
 * The fallback for Claude Code before 2.1.63: curl posts the payload from stdin. It prints nothing (what a
 * UserPromptSubmit hook prints goes into the model's context), gives up before Claude Code would kill it,
 * and exits 0 whatever happened, so a receiver that is down never gets in the session's way.
 */
function commandHandler(url: string, timeout: number): JsonObject {
  const curlSeconds = Math.max(1, timeout - 1);
  const command =
    `curl -s -o /dev/null -m ${curlSeconds} -X POST -H 'Content-Type: application/json' ` +
    `-H "Authorization: Bearer $${TOKEN_VARIABLE}" --data-binary @- ${shellQuote(url)} >/dev/null 2>&1; exit 0`;
  return { type: "command", command, timeout };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
