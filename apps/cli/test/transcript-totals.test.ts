import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sharedDataFile } from "./support/shared-data.js";

// Opt-in: the 29 real transcripts are read from ../shared/data (or $PATTERNLOOP_SHARED_DATA).
const TRANSCRIPTS = sharedDataFile("transcripts");
if (!TRANSCRIPTS.present)
  console.log(`real transcripts absent (${TRANSCRIPTS.path}): the stored-totals check is skipped`);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SCRIPT = `${ROOT}scripts/count-transcript-usage.ts`;

interface Row {
  figure: string;
  counted: number;
  stored: number;
  difference: number;
}

describe.runIf(TRANSCRIPTS.present)("ingest claude-code over the real transcripts", () => {
  it("stores the tokens, cost and tool calls an independent per-message count finds, within 1 %", () => {
    // The script counts apart from patternloop's parser, ingests the folder with the built CLI into a fresh
    // SQLite file and sums `workflow_history`.
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", SCRIPT, "--dir", TRANSCRIPTS.path, "--json"],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { rows: Row[]; agree: boolean };
    for (const row of report.rows)
      expect({ ...row, off: Math.abs(row.difference) > 0.01 }).toMatchObject({ off: false });
    expect(report.agree).toBe(true);
    expect(result.status).toBe(0);
  }, 120_000);
});
