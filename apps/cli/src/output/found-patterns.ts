import type { FoundPattern } from "@patternloop/db";
import { count } from "./format.js";
import { renderTable } from "./table.js";

/** A dry run's top patterns: what it found in the runs it read, and which of them the database lacks. */
export function renderFoundPatterns(found: readonly FoundPattern[]): string {
  return `Top ${found.length} patterns found by the dry run (nothing stored)\n${renderTable(
    [
      { header: "pattern", value: (row: FoundPattern) => row.pattern_signature },
      { header: "runs", value: (row: FoundPattern) => count(row.runs), align: "right" },
      { header: "in database", value: (row: FoundPattern) => (row.new ? "no" : "yes") },
    ],
    found,
  )}`;
}
