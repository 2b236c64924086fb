import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import {
  backfilledHistory,
  HISTORY,
  HISTORY_OCCURRENCES,
  HISTORY_PATTERNS,
  runJson,
  runOk,
} from "./support/history.js";
import { freshSchema, PG_URL, schemaExists, schemaUrl, withPostgres } from "./support/postgres.js";
import { expectRefusal } from "./support/refusal.js";

type Row = Record<string, unknown>;

/** What analysis shows, without the wall-clock column and the ids (which depend on insertion order). */
const comparable = (rows: Row[]) => rows.map(({ id: _id, created_at: _createdAt, ...row }) => row);

describe.skipIf(PG_URL === undefined)("the CLI on PostgreSQL", { timeout: 120_000 }, () => {
  it("ingest creates the schema; ingest, backfill, check and analyze work as on SQLite", async () => {
    const schema = freshSchema();
    const url = schemaUrl(schema);
    expect(runJson(["ingest", "workflows", HISTORY, "--db", url])).toMatchObject({
      read: 12,
      inserted: 12,
      already_present: 0,
      tool_calls: 33,
    });
    expect(await schemaExists(schema)).toBe(true);
    expect(runJson(["ingest", "workflows", HISTORY, "--db", url])).toMatchObject({
      inserted: 0,
      already_present: 12,
    });

    expect(runJson(["backfill", "--db", url, "--dry-run"])).toMatchObject({
      dry_run: true,
      processed: 12,
      patterns_detected: HISTORY_OCCURRENCES,
    });
    const report = runJson(["backfill", "--db", url]);
    expect(report).toMatchObject({
      processed: 12,
      total: 12,
      patterns_detected: HISTORY_OCCURRENCES,
      new_patterns: 5,
      errors: 0,
    });
    expect(report.top.map((row: Row) => [row.pattern_signature, row.occurrence_count])).toEqual(
      Object.entries(HISTORY_PATTERNS),
    );
    expect(report.replay.predictions).toBeGreaterThan(0);
    // Twice is once, predictions replayed included.
    expect(runJson(["backfill", "--db", url])).toMatchObject({
      processed: 0,
      already_processed: 12,
      replay: { predictions: 0, replayed_runs: 0, promoted: [] },
    });
    const sqlite = backfilledHistory().path;
    // The same predictions replayed as on SQLite, counted and recounted by the integrity check.
    expect(runOk(["check", "--db", url]).stdout).toBe(runOk(["check", "--db", sqlite]).stdout);
    expect(runJson(["analyze", "accuracy", "--db", url])).toEqual(
      runJson(["analyze", "accuracy", "--db", sqlite]),
    );

    for (const command of ["top", "high-value", "recent"]) {
      const onPostgres = runJson(["analyze", command, "--db", url]);
      expect(comparable(onPostgres), command).toEqual(
        comparable(runJson(["analyze", command, "--db", sqlite])),
      );
    }
    const summary = runJson(["analyze", "summary", "--db", url]);
    const sqliteSummary = runJson(["analyze", "summary", "--db", sqlite]);
    // A SUM over floats may add in another order on each engine: equal to the last bits only.
    expect(summary.potential_monthly_savings).toBeCloseTo(sqliteSummary.potential_monthly_savings, 9);
    expect({ ...summary, potential_monthly_savings: 0 }).toEqual({
      ...sqliteSummary,
      potential_monthly_savings: 0,
    });
    const details = runJson(["analyze", "details", "test:pytest:backend", "--db", url]);
    expect(details.pattern).toMatchObject({ pattern_signature: "test:pytest:backend", occurrence_count: 6 });
    expect(details.examples).toHaveLength(5);

    const counts = await withPostgres(async (client) => {
      const one = async (sql: string) => Number((await client.query(sql)).rows[0]?.n);
      return {
        patterns: await one(`SELECT COUNT(*) AS n FROM "${schema}".operation_patterns`),
        occurrences: await one(`SELECT COUNT(*) AS n FROM "${schema}".pattern_occurrences`),
        orphans: await one(
          `SELECT COUNT(*) AS n FROM "${schema}".pattern_occurrences po LEFT JOIN "${schema}".operation_patterns op ON po.pattern_id = op.id WHERE op.id IS NULL`,
        ),
      };
    });
    expect(counts).toEqual({ patterns: 5, occurrences: HISTORY_OCCURRENCES, orphans: 0 });
  });

  it("check exits 1 and names a tampered occurrence_count", async () => {
    const schema = freshSchema();
    const url = schemaUrl(schema);
    runOk(["ingest", "workflows", HISTORY, "--db", url]);
    runOk(["backfill", "--db", url]);
    await withPostgres((client) =>
      client.query(
        `UPDATE "${schema}".operation_patterns SET occurrence_count = 99 WHERE pattern_signature = 'git:diff:summary'`,
      ),
    );
    const run = runCli(["check", "--db", url]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "VIOLATION occurrence_count_mismatch: git:diff:summary: occurrence_count is 99, a recount gives 7\n",
    );
  });

  it("read commands refuse a schema that does not exist, and do not create it", async () => {
    const schema = freshSchema();
    for (const command of [["backfill"], ["analyze", "summary"], ["check"]]) {
      const run = runCli([...command, "--db", schemaUrl(schema)]);
      expectRefusal(run, `has no schema "${schema}"`);
      expect(run.stderr).not.toContain("postgres:postgres@");
    }
    expect(await schemaExists(schema)).toBe(false);
  });
});
