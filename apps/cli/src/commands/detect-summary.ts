import type { OtherFormat } from "@patternloop/ingest";

/** What `detect` read, from a file or a database: it prints the counts and fails on malformed lines. */
export interface DetectSummary {
  records: number;
  withPatterns: number;
  malformed: number;
  /** Set, and nothing read, when the first line is of another input (a Claude Code transcript…). */
  otherFormat?: OtherFormat;
}
