import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../src/commands/generate.js";
import { runCli } from "./run-cli.js";
import { DEFERRED_INDEXES } from "./support/bulk-load-probe.js";
import { freshSchema, PG_URL, schemaUrl, withPostgres } from "./support/postgres.js";
import { type StartedCli, startCli } from "./support/resume-cli.js";

// Above the 10,000 runs from which a first backfill loads without the occurrence table's secondary indexes.
const RUNS = 12_000;
const SEED = 20_261_207;

/**
 * Columns two backfills never share: the wall-clock time of the write, and the generated ids. A PostgreSQL
 * sequence does not roll back with the transaction a kill ends, so the rerun numbers its rows past the ids
 * the killed one took (rows are matched by signature and run instead).
 */
const NOT_COMPARED = ["created_at", "updated_at", "detected_at", "id", "pattern_id"];

describe.skipIf(PG_URL === undefined)(
  "a large first backfill on PostgreSQL that builds its indexes at the end, killed with SIGKILL",
  () => {
    let dir: string;
    let history: string;
    let expected: { statistics: string[]; indexes: string[] };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "patternloop-bulk-kill-pg-"));
      history = join(dir, "history.jsonl");
      const out = createWriteStream(history);
      await writeHistory({ runs: RUNS, seed: SEED }, out);
      out.end();
      await finished(out);
      const schema = ingested();
      const before = await indexSchema(schema);
      const backfill = runCli(["backfill", "--db", schemaUrl(schema), "--json"]);
      expect(backfill.status, backfill.stderr).toBe(0);
      expected = { statistics: await dumpStatistics(schema), indexes: await indexSchema(schema) };
      expect(expected.indexes).toEqual(before);
      expect(expected.statistics.length).toBeGreaterThan(RUNS);
    }, 240_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A fresh schema with the history ingested. */
    function ingested(): string {
      const schema = freshSchema();
      const ingest = runCli(["ingest", "workflows", history, "--db", schemaUrl(schema), "--json"]);
      expect(ingest.status, ingest.stderr).toBe(0);
      return schema;
    }

    it("killed while loading, then rerun, ends as an uninterrupted backfill does", async () => {
      const schema = ingested();
      await killAndRerun(schema, async (backfill) => {
        while (backfill.child.exitCode === null && (await stateOf(schema)).processed < 3_000) await sleep(2);
        backfill.child.kill("SIGKILL");
      });
    }, 240_000);

    it("killed while building the indexes after every run is loaded, then rerun, ends as an uninterrupted backfill does", async () => {
      const schema = ingested();
      await killAndRerun(schema, (backfill) =>
        withPostgres(async (client) => {
          // Once the indexes are dropped, the probe holds a lock that the backfill's inserts pass but its
          // index build (a SHARE lock) waits for; the backfill is killed waiting there, every run recorded.
          let state = await stateOf(schema, client);
          while (backfill.child.exitCode === null && state.deferredIndexes > 0) {
            await sleep(2);
            state = await stateOf(schema, client);
          }
          await client.query("begin");
          try {
            await client.query(`lock table "${schema}".pattern_occurrences in share update exclusive mode`);
            while (backfill.child.exitCode === null && !(await buildWaits(schema, client))) await sleep(2);
            state = await stateOf(schema, client);
            expect(state).toEqual({ processed: RUNS, deferredIndexes: 0 });
            backfill.child.kill("SIGKILL");
            await backfill.finished;
          } finally {
            await client.query("rollback");
          }
        }),
      );
    }, 240_000);

    /** Starts a backfill of the schema, lets `kill` kill it, reruns it and compares with the uninterrupted one. */
    async function killAndRerun(schema: string, kill: (backfill: StartedCli) => Promise<void>) {
      const url = schemaUrl(schema);
      const backfill = startCli(["backfill", "--db", url]);
      await kill(backfill);
      const exit = await backfill.finished;
      expect(exit.signal, `exited on its own (status ${exit.status}): ${exit.stderr.slice(-500)}`).toBe(
        "SIGKILL",
      );
      const left = await stateOf(schema);
      expect(left.deferredIndexes).toBe(0);
      const rerun = runCli(["backfill", "--db", url, "--json"]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({ processed: RUNS - left.processed, errors: 0 });
      expect(await indexSchema(schema)).toEqual(expected.indexes);
      const actual = await dumpStatistics(schema);
      expect(actual.length).toBe(expected.statistics.length);
      const differs = expected.statistics.findIndex((row, index) => actual[index] !== row);
      expect(
        differs === -1 ? undefined : { expected: expected.statistics[differs], actual: actual[differs] },
      ).toBeUndefined();
    }
  },
);

type Client = Parameters<Parameters<typeof withPostgres>[0]>[0];

async function stateOf(
  schema: string,
  client?: Client,
): Promise<{ processed: number; deferredIndexes: number }> {
  const read = async (c: Client) => {
    const runs = await c.query(`select count(patterns_processed_at) as n from "${schema}".workflow_history`);
    const indexes = await c.query(
      "select count(*) as n from pg_indexes where schemaname = $1 and indexname = any($2)",
      [schema, DEFERRED_INDEXES],
    );
    return { processed: Number(runs.rows[0]?.n), deferredIndexes: Number(indexes.rows[0]?.n) };
  };
  return client === undefined ? withPostgres(read) : read(client);
}

/** Whether another session waits for a lock on the schema's occurrence table: the backfill's index build. */
async function buildWaits(schema: string, client: Client): Promise<boolean> {
  const { rows } = await client.query(
    `select count(*) as n from pg_locks
     where relation = ('"' || $1 || '".pattern_occurrences')::regclass and not granted`,
    [schema],
  );
  return Number(rows[0]?.n) > 0;
}

/** Every index of the schema with its definition, the schema's name taken out. */
function indexSchema(schema: string): Promise<string[]> {
  return withPostgres(async (client) => {
    const { rows } = await client.query(
      "select tablename, indexname, indexdef from pg_indexes where schemaname = $1 order by indexname",
      [schema],
    );
    return rows.map((row) => JSON.stringify(row).replaceAll(`${schema}.`, ""));
  });
}

/** The patterns (but their wall-clock columns) and every occurrence with its signature, as JSON lines. */
function dumpStatistics(schema: string): Promise<string[]> {
  return withPostgres(async (client) => {
    const patterns = await client.query(
      `select * from "${schema}".operation_patterns order by pattern_signature`,
    );
    const occurrences = await client.query(
      `select p.pattern_signature, o.* from "${schema}".pattern_occurrences o
       join "${schema}".operation_patterns p on p.id = o.pattern_id order by p.pattern_signature, o.workflow_id`,
    );
    return [...patterns.rows, ...occurrences.rows].map((row) =>
      JSON.stringify(Object.fromEntries(Object.entries(row).filter(([key]) => !NOT_COMPARED.includes(key)))),
    );
  });
}
