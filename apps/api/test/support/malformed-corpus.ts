import { HOOK_EVENTS } from "./hook-sessions.js";

/**
 * Malformed and hostile requests (§7: bad JSON, wrong types, unknown statuses, oversized bodies → 4xx with a
 * JSON error that names the problem, nothing written; Claude Code hooks are fail-open, so a hook payload
 * that is JSON but not usable is answered 2xx and ignored). Every case runs against a database holding one
 * running run, `wf-open`, and one completed run, `wf-done`.
 */
export interface MalformedCase {
  name: string;
  /** Default `/v1/runs`. */
  path?: string;
  /** Sent as is: the exact bytes. */
  body: string | Uint8Array;
  /** Replace the default headers (bearer token and `content-type: application/json`). */
  headers?: Record<string, string>;
  /** The status; a list when the spec allows more than one. */
  status: number | readonly number[];
  /** For a 4xx: text the error must contain (the field or the problem it names). */
  names?: RegExp;
}

export const RUNS = "/v1/runs";
export const COMPLETE = "/v1/runs/wf-open/complete";
export const HOOK = "/v1/hooks/claude-code";

const TOKEN_HEADER = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (value: unknown) => JSON.stringify(value);
const start = (fields: Record<string, unknown>) => json({ workflow_id: "wf-new", ...fields });
const completion = (fields: Record<string, unknown>) => json({ status: "completed", ...fields });
const ONE_MIB = 1024 * 1024;

const deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
const deepObjects = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))));
const realPreToolUse = HOOK_EVENTS.find((event) => event.hook_event_name === "PreToolUse");

export function malformedCorpus(token: string): MalformedCase[] {
  return [
    // JSON that is not JSON, or not an object
    { name: "truncated JSON (run start)", body: '{"workflow_id":"wf-tr', status: 400 },
    { name: "truncated JSON (completion)", path: COMPLETE, body: '{"status":"compl', status: 400 },
    { name: "garbage after the JSON value", body: `${start({})} trailing`, status: 400 },
    { name: "empty body (run start)", body: "", status: 400 },
    { name: "empty body (completion)", path: COMPLETE, body: "", status: 400 },
    { name: "body is an array", body: json([{ workflow_id: "wf-new" }]), status: 400 },
    { name: "body is a number", body: "42", status: 400 },
    { name: "body is null", body: "null", status: 400 },
    { name: "body is a string (completion)", path: COMPLETE, body: '"completed"', status: 400 },
    { name: "body is an array (completion)", path: COMPLETE, body: "[]", status: 400 },

    // wrong types, field by field
    { name: "workflow_id is a number", body: json({ workflow_id: 7 }), status: 400, names: /workflow_id/ },
    { name: "workflow_id is missing", body: json({ nl_input: "fix it" }), status: 400, names: /workflow_id/ },
    { name: "workflow_id is blank", body: json({ workflow_id: "   " }), status: 400, names: /workflow_id/ },
    {
      name: "nl_input is an object",
      body: start({ nl_input: { text: "x" } }),
      status: 400,
      names: /nl_input/,
    },
    {
      name: "start_time is a number",
      body: start({ start_time: 1_700_000_000 }),
      status: 400,
      names: /start_time/,
    },
    {
      name: "start_time is not a date",
      body: start({ start_time: "yesterday" }),
      status: 400,
      names: /start_time/,
    },
    {
      name: "predictions is an object",
      body: start({ predictions: { a: 1 } }),
      status: 400,
      names: /predictions/,
    },
    {
      name: "a prediction's confidence is a string",
      body: start({ predictions: [{ signature: "test:pytest:backend", confidence: "high" }] }),
      status: 400,
      names: /predictions\.0\.confidence/,
    },
    {
      name: "a prediction's confidence is over 100",
      body: start({ predictions: [{ signature: "test:pytest:backend", confidence: 101 }] }),
      status: 400,
      names: /confidence/,
    },
    {
      name: "an invalid prediction signature",
      body: start({ predictions: [{ signature: "Test:PyTest", confidence: 50 }] }),
      status: 400,
      names: /predictions\.0\.signature/,
    },
    { name: "unknown status", path: COMPLETE, body: json({ status: "done" }), status: 400, names: /status/ },
    { name: "status running at completion", path: COMPLETE, body: json({ status: "running" }), status: 400 },
    { name: "status missing", path: COMPLETE, body: json({ total_tokens: 5 }), status: 400, names: /status/ },
    {
      name: "end_time is not a date",
      path: COMPLETE,
      body: completion({ end_time: "2026-13-45 25:99" }),
      status: 400,
      names: /end_time/,
    },
    {
      name: "duration_seconds is a string",
      path: COMPLETE,
      body: completion({ duration_seconds: "95" }),
      status: 400,
      names: /duration_seconds/,
    },
    {
      name: "negative token count",
      path: COMPLETE,
      body: completion({ input_tokens: -5 }),
      status: 400,
      names: /input_tokens/,
    },
    {
      name: "fractional token count",
      path: COMPLETE,
      body: completion({ output_tokens: 10.5 }),
      status: 400,
      names: /output_tokens/,
    },
    {
      name: "token count as a string",
      path: COMPLETE,
      body: completion({ total_tokens: "100" }),
      status: 400,
      names: /total_tokens/,
    },
    {
      name: "token count beyond a safe integer",
      path: COMPLETE,
      body: '{"status":"completed","cache_read_tokens":1e20}',
      status: 400,
      names: /cache_read_tokens/,
    },
    {
      name: "token count that overflows to Infinity",
      path: COMPLETE,
      body: '{"status":"completed","input_tokens":1e400}',
      status: 400,
      names: /input_tokens/,
    },
    {
      name: "negative cost",
      path: COMPLETE,
      body: completion({ actual_cost_total: -0.01 }),
      status: 400,
      names: /actual_cost_total/,
    },
    {
      name: "retry_count is a boolean",
      path: COMPLETE,
      body: completion({ retry_count: true }),
      status: 400,
      names: /retry_count/,
    },
    {
      name: "tool_calls is an object",
      path: COMPLETE,
      body: completion({ tool_calls: { tool_name: "Bash" } }),
      status: 400,
      names: /tool_calls/,
    },
    {
      name: "a tool call without tool_name",
      path: COMPLETE,
      body: completion({ tool_calls: [{ tool_input: { command: "git diff" } }] }),
      status: 400,
      names: /tool_calls\.0\.tool_name/,
    },
    {
      name: "a tool call's success is a string",
      path: COMPLETE,
      body: completion({ tool_calls: [{ tool_name: "Bash", success: "yes" }] }),
      status: 400,
      names: /tool_calls\.0\.success/,
    },
    { name: "model_used is a boolean", path: COMPLETE, body: completion({ model_used: false }), status: 400 },

    // sizes
    { name: "workflow_id over 200 characters", body: json({ workflow_id: "w".repeat(201) }), status: 400 },
    {
      name: "nl_input over 200,000 characters",
      body: start({ nl_input: "x".repeat(200_001) }),
      status: 400,
      names: /nl_input/,
    },
    {
      name: "error_message over 100,000 characters",
      path: COMPLETE,
      body: completion({ error_message: "e".repeat(100_001) }),
      status: 400,
      names: /error_message/,
    },
    {
      name: "more than 200 predictions",
      body: start({
        predictions: Array.from({ length: 201 }, (_, i) => ({ signature: `test:t${i}:all`, confidence: 1 })),
      }),
      status: 400,
      names: /predictions/,
    },
    { name: "run start over 1 MiB", body: start({ nl_input: "x".repeat(ONE_MIB) }), status: 413 },
    {
      name: "completion over 1 MiB",
      path: COMPLETE,
      body: completion({ error_message: "x".repeat(ONE_MIB) }),
      status: 413,
    },
    {
      name: "hook payload over 1 MiB",
      path: HOOK,
      body: json({ session_id: "s-big", hook_event_name: "UserPromptSubmit", prompt: "x".repeat(ONE_MIB) }),
      status: 413,
    },

    // deep nesting
    { name: "10,000 nested arrays as the body", body: deepArrays, status: 400 },
    { name: "10,000 nested objects as the body", body: deepObjects, status: 400 },
    {
      name: "10,000 nested arrays as nl_input",
      body: `{"workflow_id":"wf-new","nl_input":${deepArrays}}`,
      status: 400,
    },
    {
      name: "10,000 nested objects as a tool call's tool_input",
      path: COMPLETE,
      body: `{"status":"completed","tool_calls":[{"tool_name":"Bash","tool_input":${deepObjects}}]}`,
      status: 400,
    },
    { name: "10,000 nested arrays as a hook payload", path: HOOK, body: deepArrays, status: 200 },
    {
      // Fail-open: answered 200 and ignored (not a hook payload Claude Code sends), nothing written.
      name: "10,000 nested objects inside a hook payload",
      path: HOOK,
      body: `{"session_id":"s-deep","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":${deepObjects}}`,
      status: 200,
    },

    // encoding
    {
      name: "invalid UTF-8 bytes (run start)",
      body: bytes('{"workflow_id":"wf-', [0xff, 0xfe, 0xc3], '"}'),
      status: 400,
      names: /UTF-8/,
    },
    {
      name: "invalid UTF-8 bytes (hook)",
      path: HOOK,
      body: bytes('{"session_id":"s-', [0xc0, 0xaf], '","hook_event_name":"UserPromptSubmit"}'),
      status: 400,
    },
    {
      name: "raw control characters in a string",
      body: '{"workflow_id":"wf-\u0001\u001b[31m"}',
      status: 400,
    },
    { name: "a raw NUL byte in a string", body: bytes('{"workflow_id":"wf-', [0], 'x"}'), status: 400 },
    {
      name: "an escaped NUL in workflow_id",
      body: '{"workflow_id":"wf-\\u0000x"}',
      status: 400,
      names: /workflow_id/,
    },
    {
      name: "an escaped NUL in nl_input",
      body: '{"workflow_id":"wf-new","nl_input":"run \\u0000 pytest"}',
      status: 400,
      names: /nl_input/,
    },
    // text no engine can keep alike (a lone surrogate has no UTF-8 form; PostgreSQL refuses NUL): refused
    // anywhere in a body, keys and fields the schema does not know included, with the field named
    {
      name: "a lone surrogate in workflow_id",
      body: '{"workflow_id":"wf-\\ud800-x"}',
      status: 400,
      names: /workflow_id: contains a lone surrogate/,
    },
    {
      name: "a lone low surrogate in nl_input",
      body: '{"workflow_id":"wf-new","nl_input":"fix \\udc00 it"}',
      status: 400,
      names: /nl_input: contains a lone surrogate/,
    },
    {
      name: "a lone surrogate in a field the schema does not know",
      body: start({ note: "\ud800" }),
      status: 400,
      names: /note: contains a lone surrogate/,
    },
    {
      name: "a NUL in a tool call's input",
      path: COMPLETE,
      body: completion({ tool_calls: [{ tool_name: "Bash", tool_input: { command: "ls\u0000" } }] }),
      status: 400,
      names: /tool_calls\.0\.tool_input\.command: contains a NUL/,
    },
    {
      name: "a NUL in the name of a tool input's field",
      path: COMPLETE,
      body: completion({ tool_calls: [{ tool_name: "Bash", tool_input: { "a\u0000": 1 } }] }),
      status: 400,
      names: /tool_calls\.0\.tool_input\.a\\u0000: its name contains a NUL/,
    },
    {
      name: "a NUL in the run id of the path",
      path: "/v1/runs/wf-open%00/complete",
      body: completion({}),
      status: 400,
      names: /workflow_id: contains a NUL/,
    },
    {
      name: "a NUL in a hook's session_id",
      path: HOOK,
      body: json({ session_id: "s\u0000", hook_event_name: "UserPromptSubmit", prompt: "run the tests" }),
      status: 400,
      names: /session_id: contains a NUL/,
    },
    {
      name: "a lone surrogate in a hook's prompt",
      path: HOOK,
      body: json({ session_id: "s-9", hook_event_name: "UserPromptSubmit", prompt: "fix \ud800" }),
      status: 400,
      names: /prompt: contains a lone surrogate/,
    },
    {
      name: "a NUL in a hook's tool input",
      path: HOOK,
      body: json({
        session_id: "s-9",
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: "ls\u0000" },
      }),
      status: 400,
      names: /tool_input\.command: contains a NUL/,
    },

    // headers
    { name: "missing auth", body: start({}), headers: { "content-type": "application/json" }, status: 401 },
    {
      name: "wrong token",
      path: COMPLETE,
      body: completion({}),
      headers: { "content-type": "application/json", ...TOKEN_HEADER(`${token}-wrong`) },
      status: 401,
    },
    {
      // 415 is HTTP's name for it; a 400 is fine too, if the error says what is wrong.
      name: "content-type text/plain",
      body: start({}),
      headers: { "content-type": "text/plain", ...TOKEN_HEADER(token) },
      status: [400, 415],
      names: /content.type/i,
    },
    {
      name: "no content-type",
      path: COMPLETE,
      body: completion({}),
      headers: TOKEN_HEADER(token),
      status: [400, 415],
      names: /content.type/i,
    },
    {
      name: "content-type form-urlencoded",
      body: "workflow_id=wf-new",
      headers: { "content-type": "application/x-www-form-urlencoded", ...TOKEN_HEADER(token) },
      status: [400, 415],
      names: /content.type/i,
    },

    // ids
    {
      name: "completion of an unknown run",
      path: "/v1/runs/wf-unknown/complete",
      body: completion({}),
      status: 404,
    },
    { name: "completion without a run id", path: "/v1/runs//complete", body: completion({}), status: 404 },

    // Claude Code hooks
    {
      name: "hook body that is not JSON",
      path: HOOK,
      body: "session_id=s&hook_event_name=Stop",
      status: 400,
    },
    { name: "hook with an empty body", path: HOOK, body: "", status: 400 },
    { name: "hook with truncated JSON", path: HOOK, body: '{"session_id":"s-1","hook_eve', status: 400 },
    {
      name: "hook missing auth",
      path: HOOK,
      body: json({ session_id: "s-1", hook_event_name: "UserPromptSubmit", prompt: "x" }),
      headers: { "content-type": "application/json" },
      status: 401,
    },
    { name: "real PreToolUse hook (an event not used)", path: HOOK, body: json(realPreToolUse), status: 200 },
    {
      name: "unknown hook event",
      path: HOOK,
      body: json({ session_id: "s-1", hook_event_name: "NoSuchEvent", prompt: "x" }),
      status: 200,
    },
    {
      name: "UserPromptSubmit without session_id",
      path: HOOK,
      body: json({ hook_event_name: "UserPromptSubmit", prompt: "run the tests" }),
      status: 200,
    },
    {
      name: "PostToolUse without session_id",
      path: HOOK,
      body: json({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: { command: "git diff" } }),
      status: 200,
    },
    {
      name: "hook without hook_event_name",
      path: HOOK,
      body: json({ session_id: "s-1", prompt: "x" }),
      status: 200,
    },
    {
      name: "hook with a numeric session_id",
      path: HOOK,
      body: json({ session_id: 12, hook_event_name: "UserPromptSubmit", prompt: "x" }),
      status: 200,
    },
    { name: "hook body is null", path: HOOK, body: "null", status: 200 },
    { name: "hook body is a number", path: HOOK, body: "3", status: 200 },
  ];
}

/** Cases for an app configured with a smaller body limit. */
export const SMALL_BODY_LIMIT = 4096;

export function smallLimitCorpus(): MalformedCase[] {
  return [
    {
      name: "run start over the configured limit",
      body: start({ nl_input: "x".repeat(SMALL_BODY_LIMIT) }),
      status: 413,
    },
    {
      name: "hook payload over the configured limit",
      path: HOOK,
      body: json({
        session_id: "s-big",
        hook_event_name: "UserPromptSubmit",
        prompt: "x".repeat(SMALL_BODY_LIMIT),
      }),
      status: 413,
    },
  ];
}
