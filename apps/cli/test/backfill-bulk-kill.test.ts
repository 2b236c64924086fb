import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../src/commands/generate.js";
import { runCli } from "./run-cli.js";
import { BulkLoadProbe, type BulkLoadState, indexSchema } from "./support/bulk-load-probe.js";
import { type StartedCli, startCli } from "./support/resume-cli.js";
import { dumpStatistics } from "./support/resume-dump.js";
import { copySqlite, expectSameStatistics, rerunBackfill } from "./support/resumed-backfill.js";

// Above the 10,000 runs from which a first backfill loads without the occurrence table's secondary indexes.
const RUNS = 20_000;
const SEED = 20_261_206;

/**
 * Where a backfill is killed: `watch` is called every millisecond or so with the probe and the running
 * backfill, and returns the state it killed the backfill in, or undefined to go on watching.
 */
interface KillPoint {
  name: string;
  watch: (probe: BulkLoadProbe, backfill: StartedCli) => Promise<BulkLoadState | undefined>;
}

const KILL_POINTS: KillPoint[] = [
  {
    // The rerun has more than 10,000 runs left and the indexes are gone: it carries on the bulk load.
    name: "while loading, early",
    watch: async (probe, backfill) => killWhen(probe.read(), backfill, (s) => s.processed >= 2_000),
  },
  {
    // The rerun has fewer than 10,000 runs left: it builds the indexes first, then records them one by one.
    name: "while loading, late",
    watch: async (probe, backfill) => killWhen(probe.read(), backfill, (s) => s.processed >= 14_000),
  },
  {
    // Every batch committed, the indexes not built yet: the probe holds the write lock the build waits for.
    name: "between the load and the index build",
    watch: async (probe, backfill) => {
      if (probe.read().processed < RUNS - 2_000) return undefined;
      const held = probe.tryLock();
      if (held === undefined) return undefined;
      try {
        return await killWhen(held, backfill, (s) => s.processed === RUNS && s.deferredIndexes === 0);
      } finally {
        probe.unlock();
      }
    },
  },
  {
    // Every batch committed and someone holds the write lock: the backfill, building the indexes.
    name: "while the indexes are being built",
    watch: async (probe, backfill) => {
      const seen = probe.read();
      if (seen.processed < RUNS || seen.deferredIndexes > 0) return undefined;
      const held = probe.tryLock();
      if (held !== undefined) {
        probe.unlock();
        return undefined;
      }
      return killWhen(seen, backfill, () => true);
    },
  },
];

describe("a large first backfill that builds its indexes at the end, killed with SIGKILL", () => {
  let dir: string;
  let fresh: string;
  let expected: { statistics: ReturnType<typeof dumpStatistics>; indexes: string[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patternloop-bulk-kill-"));
    const history = join(dir, "history.jsonl");
    const out = createWriteStream(history);
    await writeHistory({ runs: RUNS, seed: SEED }, out);
    out.end();
    await finished(out);
    fresh = join(dir, "fresh.sqlite");
    const ingest = runCli(["ingest", "workflows", history, "--db", fresh, "--json"]);
    expect(ingest.status, ingest.stderr).toBe(0);

    // Uninterrupted, in one bulk load; and in steps of 5,000 runs, each recorded row by row with the
    // indexes in place. Both end alike, with the indexes the migrations made.
    const whole = copySqlite(fresh, join(dir, "whole.sqlite"));
    const backfill = runCli(["backfill", "--db", whole, "--json"]);
    expect(backfill.status, backfill.stderr).toBe(0);
    const stepped = copySqlite(fresh, join(dir, "stepped.sqlite"));
    for (let step = 0; step < RUNS / 5_000; step++) {
      const part = runCli(["backfill", "--db", stepped, "--limit", "5000", "--json"]);
      expect(part.status, part.stderr).toBe(0);
    }
    expected = { statistics: dumpStatistics(whole), indexes: indexSchema(whole) };
    expect(expected.indexes).toEqual(indexSchema(fresh));
    expect(expected.statistics.occurrences.length).toBeGreaterThan(RUNS);
    expectSameStatistics(dumpStatistics(stepped), expected.statistics);
    expect(indexSchema(stepped)).toEqual(expected.indexes);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const point of KILL_POINTS)
    it(`${point.name}, then rerun, ends as an uninterrupted backfill does`, async () => {
      const path = copySqlite(fresh, join(dir, `${point.name.replaceAll(/\W+/g, "-")}.sqlite`));
      const backfill = startCli(["backfill", "--db", path]);
      const probe = new BulkLoadProbe(path);
      let killedIn: BulkLoadState | undefined;
      try {
        while (killedIn === undefined && backfill.child.exitCode === null) {
          killedIn = await point.watch(probe, backfill);
          await sleep(1);
        }
      } finally {
        probe.close();
      }
      const killed = await backfill.finished;
      expect(killed.signal, `exited on its own (status ${killed.status}): ${killed.stderr.slice(-500)}`).toBe(
        "SIGKILL",
      );
      expect(killedIn?.deferredIndexes, "killed while the indexes were missing").toBe(0);
      const after = new BulkLoadProbe(path);
      const left = after.read();
      after.close();
      // A batch may have committed between the look and the kill, never an index.
      expect(left.deferredIndexes).toBe(0);
      expect(left.processed).toBeGreaterThanOrEqual(killedIn?.processed ?? Number.NaN);

      rerunBackfill(path, RUNS, left.processed);
      expect(indexSchema(path)).toEqual(expected.indexes);
      expectSameStatistics(dumpStatistics(path), expected.statistics);
      const check = runCli(["check", "--db", path]);
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain("integrity: ok");
    }, 240_000);
});

/** Kills the backfill when `state` (seen just now) is the one wanted; returns it then. */
async function killWhen(
  state: BulkLoadState,
  backfill: StartedCli,
  wanted: (state: BulkLoadState) => boolean,
): Promise<BulkLoadState | undefined> {
  if (!wanted(state)) return undefined;
  backfill.child.kill("SIGKILL");
  // Dead before anything else happens (a lock the probe holds is let go only after this).
  await backfill.finished;
  return state;
}
