import { splitWords, wordForms } from "./words.js";
import type { WorkflowRecord } from "./workflow-record.js";

export type DurationBand = "short" | "medium" | "long";
export type Complexity = "simple" | "medium" | "complex";

/** What a workflow looked like (§3), independent of which patterns it contained. */
export interface WorkflowCharacteristics {
  /** Characters in the request text. */
  input_length: number;
  /** Whitespace-separated words of the request text, as a reader would count them. */
  word_count: number;
  /** Operation keywords of the request, in order of first mention. */
  keywords: string[];
  /** Paths and file names the request mentions, in order, without duplicates. */
  file_paths: string[];
  duration_band: DurationBand | null;
  complexity: Complexity;
  /** 1 for an error message, plus 1 per failed tool call. */
  error_count: number;
}

/** Operation keywords, matched as whole words (or parts of `-`/`_` compounds), never as substrings. */
// biome-ignore format: one line per theme reads better than one keyword per line
export const OPERATION_KEYWORDS: readonly string[] = [
  "test", "tests", "testing", "pytest", "vitest", "jest", "mocha", "playwright", "cypress", "e2e", "coverage",
  "build", "compile", "typecheck", "tsc", "mypy", "pyright",
  "lint", "linter", "format", "formatter", "prettier", "eslint", "biome", "ruff", "black", "flake8",
  "deploy", "release", "migrate", "migration", "install", "dependencies", "deps", "upgrade",
  "npm", "pnpm", "yarn", "pip", "uv", "docker", "ci",
  "docs", "documentation", "readme", "changelog",
  "git", "diff", "commit", "branch", "merge", "rebase", "pr", "review",
  "refactor", "fix", "bug", "feature",
  "api", "endpoint", "frontend", "backend", "ui", "database", "schema", "sql",
];

const KEYWORDS = new Set(OPERATION_KEYWORDS);

/** Upper bounds, in seconds, of the short and medium duration bands (§3). */
export const SHORT_DURATION_SECONDS = 180;
export const LONG_DURATION_SECONDS = 600;

/**
 * Complexity thresholds: a request of at most 20 words that hit no error is simple; one of more than
 * 80 words or with 3 or more errors is complex; everything else is medium.
 */
export const SIMPLE_MAX_WORDS = 20;
export const COMPLEX_MIN_WORDS = 81;
export const COMPLEX_MIN_ERRORS = 3;

/**
 * Characteristics of one workflow (§3). Text measures come from the request text `nl_input`; errors from
 * the error message and the tool calls.
 *
 * @example extractCharacteristics({ nl_input: "Fix the failing pytest in app/server/main.py", duration_seconds: 95 })
 * // { keywords: ["fix", "pytest"], file_paths: ["app/server/main.py"], duration_band: "short", … }
 */
export function extractCharacteristics(record: WorkflowRecord): WorkflowCharacteristics {
  const text = record.nl_input ?? "";
  const wordCount = countWords(text);
  const errorCount = countErrors(record);
  return {
    input_length: text.length,
    word_count: wordCount,
    keywords: findKeywords(text),
    file_paths: findFilePaths(text),
    duration_band: durationBand(record.duration_seconds),
    complexity: complexityOf(wordCount, errorCount),
    error_count: errorCount,
  };
}

/** `short` below 180 s, `medium` below 600 s, `long` from there; null when unknown. */
export function durationBand(seconds: number | null | undefined): DurationBand | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < SHORT_DURATION_SECONDS) return "short";
  return seconds < LONG_DURATION_SECONDS ? "medium" : "long";
}

/** See {@link SIMPLE_MAX_WORDS} for the thresholds. */
export function complexityOf(wordCount: number, errorCount: number): Complexity {
  if (wordCount >= COMPLEX_MIN_WORDS || errorCount >= COMPLEX_MIN_ERRORS) return "complex";
  if (wordCount <= SIMPLE_MAX_WORDS && errorCount === 0) return "simple";
  return "medium";
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}

function countErrors(record: WorkflowRecord): number {
  const message = record.error_message?.trim() ? 1 : 0;
  const failedCalls = (record.tool_calls ?? []).filter((call) => call.success === false).length;
  return message + failedCalls;
}

function findKeywords(text: string): string[] {
  const found = new Set<string>();
  for (const word of splitWords(text)) {
    for (const form of wordForms(word)) if (KEYWORDS.has(form)) found.add(form);
  }
  return [...found];
}

// Extensions worth calling a file name when a bare word like `package.json` has no directory.
const FILE_EXTENSIONS = new Set(
  (
    "py pyi ipynb ts tsx mts cts js jsx mjs cjs json jsonc md mdx rst txt yml yaml toml ini cfg conf env lock " +
    "sh bash zsh ps1 css scss sass less html htm vue svelte astro sql prisma graphql gql proto go rs java kt " +
    "kts swift rb php c h cc cpp hpp cs scala ex exs dart lua tf hcl gradle xml csv log db sqlite svg"
  ).split(" "),
);
// Files named by convention without an extension.
const NAMED_FILES = new Set([
  "dockerfile",
  "makefile",
  "procfile",
  "justfile",
  "gemfile",
  "rakefile",
  "jenkinsfile",
]);
// Product names that look like `name.js` but are not files anyone edits.
const NOT_FILES = new Set([
  "node.js",
  "next.js",
  "vue.js",
  "nuxt.js",
  "react.js",
  "express.js",
  "nest.js",
  "three.js",
]);

const TOKEN_DELIMITERS = /[\s"'`()[\]{}<>,;|]+/;
const EXTENSION = /\.([a-z0-9]+)$/i;

// A token without any of these is a file name only by convention (`Makefile`): see `isFilePath`.
const PATH_CHARACTERS = /[./\\:!?]/;

function findFilePaths(text: string): string[] {
  const found = new Set<string>();
  for (const raw of text.split(TOKEN_DELIMITERS)) {
    if (!PATH_CHARACTERS.test(raw)) {
      if (NAMED_FILES.has(raw.toLowerCase())) found.add(raw);
      continue;
    }
    // `src/a.ts:12:3` and a sentence-ending `package.json.` still name the file.
    const token = raw.replace(/:\d+(?::\d+)?$/, "").replace(/[.:!?]+$/, "");
    if (isFilePath(token)) found.add(token);
  }
  return [...found];
}

function isFilePath(token: string): boolean {
  if (token.length < 2 || token.includes("://") || /^[^/\\]*@/.test(token)) return false;
  if (/^[a-z]:[\\/]\S/i.test(token)) return true; // C:\x\y.ts
  if (/^(?:\.{1,2}|~)[\\/][\w.-]/.test(token)) return true; // ./foo, ../foo, ~/foo
  const segments = token.split(/[\\/]/);
  const last = segments.at(-1) ?? "";
  if (segments.length > 1) {
    const named = segments.filter((segment) => /\w/.test(segment)).length;
    // `and/or` is prose; a directory path needs an extension, a trailing slash, a glob or a leading slash with depth.
    if (hasKnownExtension(last) || NAMED_FILES.has(last.toLowerCase())) return named >= 1;
    if (last === "" || last.includes("*")) return named >= 1;
    return token.startsWith("/") && named >= 2;
  }
  if (NOT_FILES.has(token.toLowerCase())) return false;
  if (NAMED_FILES.has(token.toLowerCase())) return true;
  // Dotfiles (.env, .gitignore, .eslintrc.json), but not a file type in passing ("all .json files").
  if (/^\.[a-z][a-z0-9._-]*$/.test(token)) return token === ".env" || !FILE_EXTENSIONS.has(token.slice(1));
  return /^[\w.-]*[a-z][\w.-]*$/i.test(token) && hasKnownExtension(token);
}

function hasKnownExtension(name: string): boolean {
  const extension = EXTENSION.exec(name)?.[1];
  return (
    extension !== undefined &&
    name.length > extension.length + 1 &&
    FILE_EXTENSIONS.has(extension.toLowerCase())
  );
}

/** At most this many keywords keep a count in a {@link CharacteristicsSummary}. */
export const MAX_SUMMARY_KEYWORDS = 30;

/**
 * Running summary of the characteristics of a pattern's occurrences: its `typical_input_pattern` (§4).
 * Bounded in size whatever the number of occurrences, and plain JSON so a store can keep it in a column.
 */
export interface CharacteristicsSummary {
  count: number;
  /** Sums are kept so that the means do not depend on the order occurrences were added in. */
  input_length_sum: number;
  word_count_sum: number;
  mean_input_length: number;
  mean_word_count: number;
  duration_bands: Record<DurationBand | "unknown", number>;
  complexity: Record<Complexity, number>;
  /**
   * Occurrences mentioning each keyword, for the {@link MAX_SUMMARY_KEYWORDS} most frequent (ties broken
   * alphabetically). Beyond that bound counts are approximate: a keyword dropped from the map starts again
   * from 0 when it comes back, so a kept count is a lower bound.
   */
  keyword_counts: Record<string, number>;
}

/** A summary of no occurrences. */
export function emptyCharacteristicsSummary(): CharacteristicsSummary {
  return {
    count: 0,
    input_length_sum: 0,
    word_count_sum: 0,
    mean_input_length: 0,
    mean_word_count: 0,
    duration_bands: { short: 0, medium: 0, long: 0, unknown: 0 },
    complexity: { simple: 0, medium: 0, complex: 0 },
    keyword_counts: {},
  };
}

/** Adds one occurrence's characteristics and returns a new summary (the input is not changed). */
export function addToCharacteristicsSummary(
  summary: CharacteristicsSummary,
  characteristics: WorkflowCharacteristics,
): CharacteristicsSummary {
  return addAllToCharacteristicsSummary(summary, [characteristics]);
}

/**
 * {@link addToCharacteristicsSummary} of several occurrences, in order: the same summary as adding them one
 * by one, without building the keyword counts of each summary in between (what a batch of occurrences of
 * one pattern spent most of its fold on). The input is not changed.
 */
export function addAllToCharacteristicsSummary(
  summary: CharacteristicsSummary,
  added: readonly WorkflowCharacteristics[],
): CharacteristicsSummary {
  if (added.length === 0) return summary;
  let count = summary.count;
  let inputLengthSum = summary.input_length_sum;
  let wordCountSum = summary.word_count_sum;
  const durationBands = { ...summary.duration_bands };
  const complexity = { ...summary.complexity };
  const keywords = new KeywordRanking(summary.keyword_counts);
  for (const characteristics of added) {
    count += 1;
    inputLengthSum += characteristics.input_length;
    wordCountSum += characteristics.word_count;
    durationBands[characteristics.duration_band ?? "unknown"] += 1;
    complexity[characteristics.complexity] += 1;
    keywords.count(characteristics.keywords);
  }
  return {
    count,
    input_length_sum: inputLengthSum,
    word_count_sum: wordCountSum,
    mean_input_length: inputLengthSum / count,
    mean_word_count: wordCountSum / count,
    duration_bands: durationBands,
    complexity,
    keyword_counts: keywords.counts(),
  };
}

/**
 * Keyword counts ranked and bounded, as a summary keeps them, counting one occurrence's keywords at a time.
 * Counts a summary made here come ranked already: each mentioned keyword then moves up past those it now
 * outnumbers, which gives what a full sort gives (the ranking is a total order) without sorting on every
 * occurrence.
 */
class KeywordRanking {
  #entries: [string, number][];
  /** Whether the entries are known to be finite counts in ranked order. */
  #ranked = false;

  constructor(counts: Record<string, number>) {
    this.#entries = Object.entries(counts);
  }

  /** One more occurrence mentioning `keywords`. */
  count(keywords: readonly string[]): void {
    const entries = this.#entries;
    // Anything but finite counts in ranked order (a hand-edited store) takes the general path: a full sort.
    this.#ranked ||= entries.every(
      ([, count], i) =>
        typeof count === "number" &&
        Number.isFinite(count) &&
        (i === 0 || compareRanks(entries[i - 1] as [string, number], entries[i] as [string, number]) < 0),
    );
    if (!this.#ranked) {
      const map = new Map(entries);
      for (const keyword of new Set(keywords)) map.set(keyword, (map.get(keyword) ?? 0) + 1);
      this.#entries = rankKeywords(map).slice(0, MAX_SUMMARY_KEYWORDS);
      // Read back as a summary's counts would be read, so that what follows sees what it saw one at a time.
      this.#entries = Object.entries(this.counts());
      return;
    }
    for (const keyword of new Set(keywords)) {
      let at = entries.findIndex(([key]) => key === keyword);
      const entry: [string, number] = [keyword, at === -1 ? 1 : (entries[at] as [string, number])[1] + 1];
      if (at === -1) at = entries.length;
      // Move it up past the entries it now outranks.
      for (; at > 0 && compareRanks(entries[at - 1] as [string, number], entry) > 0; at--)
        entries[at] = entries[at - 1] as [string, number];
      entries[at] = entry;
    }
    if (entries.length > MAX_SUMMARY_KEYWORDS) entries.length = MAX_SUMMARY_KEYWORDS;
  }

  /** The counts, as a summary keeps them. */
  counts(): Record<string, number> {
    const entries = this.#entries;
    // Assigned one by one (twice as fast as `Object.fromEntries`), except a `__proto__` key, which only
    // `Object.fromEntries` keeps as a key.
    if (entries.some(([key]) => key === "__proto__")) return Object.fromEntries(entries);
    const ranking: Record<string, number> = {};
    for (const [key, count] of entries) ranking[key] = count;
    return ranking;
  }
}

/**
 * One line for a person: typical length, leading keywords, usual duration and complexity.
 *
 * @example describeCharacteristicsSummary(summary) // "~42 words; keywords: test, pytest, backend; mostly short, simple"
 */
export function describeCharacteristicsSummary(summary: CharacteristicsSummary): string {
  if (summary.count === 0) return "no occurrences yet";
  const parts = [`~${Math.round(summary.mean_word_count)} words`];
  const keywords = rankKeywords(new Map(Object.entries(summary.keyword_counts)))
    .slice(0, 3)
    .map(([keyword]) => keyword);
  if (keywords.length > 0) parts.push(`keywords: ${keywords.join(", ")}`);
  const band = mostCommon(["short", "medium", "long"] as const, summary.duration_bands);
  const complexity = mostCommon(["simple", "medium", "complex"] as const, summary.complexity);
  parts.push(`mostly ${[band, complexity].filter((value) => value !== undefined).join(", ")}`);
  return parts.join("; ");
}

/** Most frequent first, then alphabetical, so that the bound drops the same keys on every machine. */
function rankKeywords(counts: Map<string, number>): [string, number][] {
  return [...counts].sort(compareRanks);
}

function compareRanks([a, countA]: [string, number], [b, countB]: [string, number]): number {
  return countB - countA || (a < b ? -1 : a > b ? 1 : 0);
}

/** The value with the highest count, the earliest listed on a tie; undefined when all are 0. */
function mostCommon<T extends string>(values: readonly T[], counts: Record<T, number>): T | undefined {
  let best: T | undefined;
  for (const value of values) if (counts[value] > (best === undefined ? 0 : counts[best])) best = value;
  return best;
}
