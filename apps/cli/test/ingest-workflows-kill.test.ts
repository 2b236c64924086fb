import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../src/commands/generate.js";
import { runCli } from "./run-cli.js";
import { dumpHistory, type HistoryDump, storedRuns } from "./support/history-dump.js";
import { startCli } from "./support/resume-cli.js";

// About 15 MB of JSON Lines: over the 8 MB from which the file is read on a worker thread, and several
// batches, each past the 4 MB of log after which SQLite would otherwise checkpoint.
const RUNS = 3_000;
const SEED = 20_261_206;

describe("ingest workflows of a large file, killed with SIGKILL", () => {
  let dir: string;
  let history: string;
  let expected: HistoryDump;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patternloop-ingest-kill-"));
    history = join(dir, "history.jsonl");
    const out = createWriteStream(history);
    await writeHistory({ runs: RUNS, seed: SEED }, out);
    out.end();
    await finished(out);
    expect(statSync(history).size).toBeGreaterThan(8 * 1024 * 1024);
    const whole = join(dir, "whole.sqlite");
    const ingest = runCli(["ingest", "workflows", history, "--db", whole, "--json"]);
    expect(ingest.status, ingest.stderr).toBe(0);
    expected = dumpHistory(whole);
    expect(expected.runs).toHaveLength(RUNS);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("mid-way, then rerun, ends as an uninterrupted load does", async () => {
    const path = join(dir, "killed.sqlite");
    const load = startCli(["ingest", "workflows", history, "--db", path]);
    let seen = 0;
    while (load.child.exitCode === null && seen < 1_000) {
      await sleep(5);
      try {
        seen = storedRuns(path);
      } catch {
        // Not created, or its tables not migrated yet.
      }
    }
    load.child.kill("SIGKILL");
    const killed = await load.finished;
    expect(killed.signal, `exited on its own (status ${killed.status}): ${killed.stderr.slice(-500)}`).toBe(
      "SIGKILL",
    );
    const left = storedRuns(path);
    expect(left).toBeGreaterThanOrEqual(1_000);
    expect(left).toBeLessThan(RUNS);

    const rerun = runCli(["ingest", "workflows", history, "--db", path, "--json"]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      read: RUNS,
      inserted: RUNS - left,
      already_present: left,
      malformed: 0,
      failed: 0,
    });
    const after = dumpHistory(path);
    expect(after.runs).toEqual(expected.runs);
    expect(after.toolCalls.length).toBe(expected.toolCalls.length);
    const differs = expected.toolCalls.findIndex((row, index) => after.toolCalls[index] !== row);
    expect(
      differs === -1 ? undefined : { row: differs, expected: expected.toolCalls[differs] },
    ).toBeUndefined();
    const check = runCli(["check", "--db", path]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain("integrity: ok");
  }, 120_000);
});
