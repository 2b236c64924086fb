import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../src/commands/generate.js";
import { runCli } from "./run-cli.js";
import { startCli } from "./support/resume-cli.js";
import { dumpStatistics, processedRuns } from "./support/resume-dump.js";
import { copySqlite, expectSameStatistics, rerunBackfill } from "./support/resumed-backfill.js";

const RUNS = 20_000;
const SEED = 20_251_121;

describe("backfill resumability (§5)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "patternloop-resume-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a backfill killed with SIGKILL mid-way, then rerun, ends with the statistics of an uninterrupted one", async () => {
    const history = join(dir, "history.jsonl");
    const out = createWriteStream(history);
    await writeHistory({ runs: RUNS, seed: SEED }, out);
    out.end();
    await finished(out);

    const a = join(dir, "a.sqlite");
    const b = join(dir, "b.sqlite");
    const ingest = runCli(["ingest", "workflows", history, "--db", a, "--json"]);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ read: RUNS, inserted: RUNS, malformed: 0 });
    copySqlite(a, b);

    // The uninterrupted backfill of A runs beside the one of B that gets killed.
    const uninterrupted = startCli(["backfill", "--db", a, "--json"]);
    // Killed once the database shows it between 10 % and 60 % of the way (each batch commits with its runs'
    // processed marker), read from the file itself while the backfill writes it.
    const killAt = Math.round(RUNS * (0.1 + Math.random() * 0.5));
    const interrupted = startCli(["backfill", "--db", b]);
    const watch = setInterval(() => {
      if (interrupted.child.exitCode !== null || interrupted.child.signalCode !== null)
        return clearInterval(watch);
      if (processedRuns(b).processed >= killAt) {
        interrupted.child.kill("SIGKILL");
        clearInterval(watch);
      }
    }, 5);
    const killed = await interrupted.finished;
    expect(killed.signal, `exited on its own (status ${killed.status}): ${killed.stderr.slice(-500)}`).toBe(
      "SIGKILL",
    );
    const midway = processedRuns(b);
    expect(midway.finished).toBe(RUNS);
    expect(midway.processed, `killed after ${killAt} runs were recorded`).toBeGreaterThan(0);
    expect(midway.processed, `killed after ${killAt} runs were recorded`).toBeLessThan(RUNS);

    rerunBackfill(b, RUNS, midway.processed);
    const whole = await uninterrupted.finished;
    expect(whole.status, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ processed: RUNS, already_processed: 0, errors: 0 });
    expect(processedRuns(b).processed).toBe(RUNS);

    const expected = dumpStatistics(a);
    const actual = dumpStatistics(b);
    expect(expected.patterns.length).toBeGreaterThan(5);
    expect(expected.occurrences.length).toBeGreaterThan(RUNS);
    expectSameStatistics(actual, expected);

    const checks = await Promise.all([a, b].map((db) => startCli(["check", "--db", db]).finished));
    for (const check of checks) {
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain("integrity: ok");
    }
  }, 240_000);
});
