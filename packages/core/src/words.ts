/**
 * Letters or digits, with single `-` or `_` allowed between them, so `type-check` and `test_api` stay whole
 * while `app/server/main.py` breaks into `app`, `server`, `main`, `py`. Matching whole tokens (never
 * substrings) is what keeps `latest` from meaning `test` (§3).
 */
const WORD = /[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)*/gu;
const JOINER = /[-_]/;

/**
 * Splits text into lower-cased word tokens. Compounds joined by `-` or `_` stay one token; use
 * {@link wordForms} to also match their parts.
 *
 * @example splitWords("Run the type-check, then `pytest -q`") // ["run", "the", "type-check", "then", "pytest", "q"]
 */
export function splitWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The spellings a token can be matched under: itself and, for a compound, the joined form and each part,
 * so that `type-check` matches the keyword `typecheck` and `e2e-tests` matches `tests`.
 *
 * @example wordForms("type-check") // ["type-check", "typecheck", "type", "check"]
 */
export function wordForms(word: string): string[] {
  if (!JOINER.test(word)) return [word];
  const parts = word.split(JOINER).filter((part) => part !== "");
  return [word, parts.join(""), ...parts];
}
