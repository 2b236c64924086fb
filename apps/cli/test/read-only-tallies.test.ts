import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { makeReadOnly } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { backfilledHistory, HISTORY_PATTERNS, runOk } from "./support/history.js";
import { withSqlite } from "./support/sqlite.js";

/** What the read commands print: the ranking, and each pattern's details with its commands and pairs. */
function readings(path: string): string[] {
  return [
    runOk(["analyze", "top", "--db", path, "--json"]).stdout,
    ...Object.keys(HISTORY_PATTERNS).map(
      (signature) => runOk(["analyze", "details", signature, "--db", path, "--json"]).stdout,
    ),
  ];
}

// The stored command and pair tallies are brought up to date by whoever reads them next; a file that
// accepts no writes must still be read, from counts kept in memory.
describe("a read-only file whose stored tallies are behind its occurrences", { timeout: 120_000 }, () => {
  it.for([
    [
      "occurrences stored since the last fold",
      "folded_through = folded_through - 5, folded_count = folded_count - 5",
    ],
    ["occurrences removed since the last fold (a recount)", "folded_count = folded_count + 1"],
  ])("%s: every read command answers as on a writable copy", ([, behind]) => {
    const { directory, path } = backfilledHistory();
    withSqlite(path, (database) => database.exec(`update pattern_tally_watermark set ${behind}`));
    const writable = join(directory, "writable.db");
    copyFileSync(path, writable);
    const expected = readings(writable);
    const readOnly = makeReadOnly(path);
    try {
      expect(readings(path)).toEqual(expected);
    } finally {
      readOnly.restore();
    }
  });
});
