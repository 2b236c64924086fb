import { escapeLogText } from "./log-text.js";

/** Where a value holds text patternloop refuses, and why. */
export interface TextIssue {
  /** Dotted path of the field (`tool_calls.0.tool_input.command`), `""` for the value itself. */
  path: string;
  message: string;
}

/** A surrogate that is not half of a pair (with the `u` flag a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `text` cannot be kept, or undefined when it can. A lone surrogate is not Unicode text: it has no UTF-8
 * form, so SQLite would store bytes other readers cannot decode and PostgreSQL's driver would store U+FFFD
 * instead. A NUL is refused too, on every engine alike, because PostgreSQL cannot store it in text.
 */
export function unstorableTextIn(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000)";
  const lone = LONE_SURROGATE.exec(text);
  return lone === null
    ? undefined
    : `contains a lone surrogate (${escapeLogText(lone[0])}), which is not Unicode text`;
}

/**
 * The first string of a JSON value, in document order and keys included, that {@link unstorableTextIn}
 * refuses, with its path; undefined when every string can be kept. Every entry point (files, the API)
 * refuses what this finds, so one rule holds whatever the engine. Walks without recursion, so that deeply
 * nested input cannot overflow the stack.
 *
 * @example findUnstorableText({ tool_input: { command: "ls\u0000" } })
 * // { path: "tool_input.command", message: "contains a NUL character (\\u0000)" }
 */
export function findUnstorableText(value: unknown): TextIssue | undefined {
  const stack: Step[] = [{ value, at: undefined, isKey: false }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    const item = step.value;
    if (typeof item === "string") {
      const problem = unstorableTextIn(item);
      if (problem !== undefined)
        return { path: pathOf(step.at), message: step.isKey ? `its name ${problem}` : problem };
      continue;
    }
    if (item === null || typeof item !== "object") continue;
    const entries = Array.isArray(item) ? item.map((child, i) => [i, child] as const) : Object.entries(item);
    // Pushed last to first, so that each key and then its value are looked at in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as readonly [string | number, unknown];
      const at = { key, parent: step.at };
      stack.push({ value: child, at, isKey: false });
      if (typeof key === "string") stack.push({ value: key, at, isKey: true });
    }
  }
  return undefined;
}

/** A JSON escape that may decode to a NUL or to half of a surrogate pair (`\u0000`, `\uD800`…). */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * False when no string that `JSON.parse(json)` returns can hold what {@link unstorableTextIn} refuses, as a
 * look at the text alone can tell: well-formed Unicode text (as read from valid UTF-8) writes a NUL or a lone
 * surrogate only as a `\u` escape, JSON never holds a raw NUL. True means "look at the parsed strings".
 */
export function mayHoldUnstorableText(json: string): boolean {
  return UNSTORABLE_ESCAPE.test(json);
}

/** A field's place, built into a path only when there is something to report. */
interface Place {
  key: string | number;
  parent: Place | undefined;
}

interface Step {
  value: unknown;
  at: Place | undefined;
  /** The value is the key of `at`, not what it holds. */
  isKey: boolean;
}

function pathOf(at: Place | undefined): string {
  const keys: string[] = [];
  for (let place = at; place !== undefined; place = place.parent) keys.push(escapeLogText(String(place.key)));
  return keys.reverse().join(".");
}
