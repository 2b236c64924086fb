/**
 * Characters that must not reach a log line as they are: C0 controls (line breaks and ESC among them), DEL,
 * C1 controls, the line and paragraph separators, bidirectional controls (which reorder what a reader sees)
 * and lone surrogates (which no terminal can show).
 */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/**
 * Text from input made safe for one log line: each control character is written as its JSON escape
 * (`\n`, `\u001b`, `\u202e`…), so a value can neither end the line, forge the next one, nor colour or
 * reorder the terminal. Backslashes are left as they are, so that paths stay readable.
 *
 * @example escapeLogText("wf-1\n[validator] workflow forged") // "wf-1\\n[validator] workflow forged"
 */
export function escapeLogText(text: string): string {
  return text.replace(
    UNSAFE,
    (char) => SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
