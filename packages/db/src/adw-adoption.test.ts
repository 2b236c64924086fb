import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, type PatternloopDatabase } from "./create-database.js";
import { insertPattern, newWorkflow } from "./test-support/fixtures.js";
import { ADW_HISTORY_DDL, ADW_PATTERN_TABLES_DDL } from "./testing/adw-history-ddl.js";
import { testDirectory } from "./testing/dialects.js";

/** An ADW-era pattern table under a name this schema needs. */
const ADW_PATTERNS_DDL = `CREATE TABLE operation_patterns (id INTEGER PRIMARY KEY, pattern_signature TEXT UNIQUE, pattern_type TEXT, occurrence_count INTEGER DEFAULT 1, tool_name TEXT, created_at TEXT, last_seen TEXT)`;

/** Builds an ADW history file (plus a column of the team's own) the way ADW and its users would. */
function createAdwHistory(path: string): Record<string, unknown>[] {
  const raw = new BetterSqlite3(path);
  try {
    raw.exec(ADW_HISTORY_DDL);
    raw.exec("ALTER TABLE workflow_history ADD COLUMN team_note TEXT");
    raw.exec("CREATE INDEX idx_workflow_history_status ON workflow_history(status)");
    raw.exec(ADW_PATTERNS_DDL);
    raw.exec(
      "INSERT INTO operation_patterns (pattern_signature, pattern_type, tool_name) VALUES ('test:pytest:backend', 'test', 'run_tests')",
    );
    const insert = raw.prepare(
      `INSERT INTO workflow_history (adw_id, issue_number, nl_input, github_url, workflow_template, status,
         start_time, end_time, duration_seconds, total_tokens, cached_tokens, actual_cost_total, cost_breakdown,
         error_message, team_note, created_at)
       VALUES (@adw_id, @issue_number, @nl_input, @github_url, @workflow_template, @status, @start_time,
         @end_time, @duration_seconds, @total_tokens, @cached_tokens, @actual_cost_total, @cost_breakdown,
         @error_message, @team_note, coalesce(@created_at, CURRENT_TIMESTAMP))`,
    );
    const base = {
      issue_number: null,
      github_url: null,
      start_time: null,
      end_time: null,
      duration_seconds: null,
      total_tokens: 0,
      cached_tokens: 0,
      actual_cost_total: 0,
      cost_breakdown: null,
      error_message: null,
      team_note: null,
      created_at: null,
    };
    insert.run({
      ...base,
      adw_id: "a1b2c3d4",
      issue_number: 42,
      nl_input: "Run the backend tests with pytest",
      github_url: "https://github.com/acme/app/issues/42",
      workflow_template: "adw_test_iso",
      status: "completed",
      start_time: "2025-01-15T10:30:00.123456",
      end_time: "2025-01-15T10:34:10.000000",
      duration_seconds: 250,
      total_tokens: 182_000,
      cached_tokens: 90_000,
      actual_cost_total: 1.2345,
      cost_breakdown: '{"plan": 0.5}',
      team_note: "keep me",
    });
    insert.run({
      ...base,
      adw_id: "e5f6a7b8",
      nl_input: "Fix the login page",
      workflow_template: "adw_sdlc_iso",
      status: "failed",
      end_time: "2025-01-16T08:00:00+02:00",
      error_message: "tsc failed",
    });
    insert.run({
      ...base,
      adw_id: "c9d0e1f2",
      nl_input: "queued",
      workflow_template: null,
      status: "pending",
      created_at: "2025-01-17 09:15:00",
    });
    return raw.prepare("SELECT * FROM workflow_history ORDER BY id").all() as Record<string, unknown>[];
  } finally {
    raw.close();
  }
}

function columnsOf(path: string, table: string): string[] {
  const raw = new BetterSqlite3(path, { readonly: true });
  try {
    return (raw.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map(
      (column) => column.name,
    );
  } finally {
    raw.close();
  }
}

describe("adopting an ADW workflow_history database", () => {
  let path: string;
  let before: Record<string, unknown>[];
  let opened: PatternloopDatabase;

  beforeEach(async () => {
    path = join(await testDirectory(), `adw-${Math.random().toString(36).slice(2)}.db`);
    before = createAdwHistory(path);
    opened = await createDatabase(path, { requireHistory: true });
  });
  afterEach(async () => {
    await opened.close();
  });

  it("keeps every row and every column, ADW's and the team's own", async () => {
    await opened.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      const after = raw.prepare("SELECT * FROM workflow_history ORDER BY id").all() as Record<
        string,
        unknown
      >[];
      expect(after).toHaveLength(before.length);
      after.forEach((row, i) => {
        expect(row).toMatchObject(before[i] ?? {});
      });
    } finally {
      raw.close();
    }
    const columns = columnsOf(path, "workflow_history");
    for (const column of Object.keys(before[0] ?? {})) expect(columns).toContain(column);
    for (const column of ["workflow_id", "workflow_time", "patterns_processed_at", "cache_read_tokens"]) {
      expect(columns).toContain(column);
    }
  });

  it("fills workflow_id from adw_id and workflow_time from the run's times, as ISO-8601 UTC", async () => {
    const rows = await opened.db
      .selectFrom("workflow_history")
      .select([
        "adw_id",
        "workflow_id",
        "workflow_time",
        "total_tokens",
        "actual_cost_total",
        "duration_seconds",
      ])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      {
        adw_id: "a1b2c3d4",
        workflow_id: "a1b2c3d4",
        workflow_time: "2025-01-15T10:30:00.123Z",
        total_tokens: 182_000,
        actual_cost_total: 1.2345,
        duration_seconds: 250,
      },
      {
        adw_id: "e5f6a7b8",
        workflow_id: "e5f6a7b8",
        workflow_time: "2025-01-16T06:00:00.000Z",
        total_tokens: 0,
        actual_cost_total: 0,
        duration_seconds: null,
      },
      {
        adw_id: "c9d0e1f2",
        workflow_id: "c9d0e1f2",
        workflow_time: "2025-01-17T09:15:00.000Z",
        total_tokens: 0,
        actual_cost_total: 0,
        duration_seconds: null,
      },
    ]);
  });

  it("enforces the new keys: unique workflow_id and foreign keys to it", async () => {
    const { db } = opened;
    await expect(
      db
        .insertInto("workflow_history")
        .values(newWorkflow("a1b2c3d4", { adw_id: "other" }))
        .execute(),
    ).rejects.toThrow(/unique/i);
    const patternId = await insertPattern(db, "test:vitest:frontend");
    await db
      .insertInto("pattern_occurrences")
      .values({ pattern_id: patternId, workflow_id: "a1b2c3d4" })
      .execute();
    await expect(
      db
        .insertInto("pattern_occurrences")
        .values({ pattern_id: patternId, workflow_id: "missing" })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it("fills workflow_id and workflow_time in rows ADW keeps inserting with only an adw_id", async () => {
    await opened.close();
    const raw = new BetterSqlite3(path);
    try {
      raw
        .prepare("INSERT INTO workflow_history (adw_id, status, start_time) VALUES (?, 'running', ?)")
        .run("f00dfeed", "2025-02-01T12:00:00");
    } finally {
      raw.close();
    }
    opened = await createDatabase(path);
    const row = await opened.db
      .selectFrom("workflow_history")
      .select(["workflow_id", "workflow_time"])
      .where("adw_id", "=", "f00dfeed")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ workflow_id: "f00dfeed", workflow_time: "2025-02-01T12:00:00.000Z" });
  });

  it("sets an older table with a needed name aside, rows and columns intact", async () => {
    const legacy = await opened.db
      .selectFrom("operation_patterns_legacy" as never)
      .selectAll()
      .execute();
    expect(legacy).toMatchObject([{ pattern_signature: "test:pytest:backend", tool_name: "run_tests" }]);
    expect(columnsOf(path, "operation_patterns")).toContain("tokens_sq_sum");
  });

  it("is done once: opening again changes nothing", async () => {
    const first = await opened.db.selectFrom("workflow_history").selectAll().orderBy("id").execute();
    await opened.close();
    opened = await createDatabase(path, { requireHistory: true });
    expect(await opened.db.selectFrom("workflow_history").selectAll().orderBy("id").execute()).toEqual(first);
  });
});

/** ADW's own pattern tables, as its design creates them next to `workflow_history`, with its reviews. */
const ADW_DESIGN_PATTERNS_DDL = `${ADW_PATTERN_TABLES_DDL};
INSERT INTO operation_patterns (pattern_signature, pattern_type, occurrence_count, automation_status, tool_name,
  tool_script_path, reviewed_by, reviewed_at, review_notes)
VALUES ('test:pytest:backend', 'test', 12, 'approved', 'run_backend_tests', 'adws/tools/run_tests.py', 'alice',
  '2025-01-20 14:00:00', 'safe: read-only test run'),
  ('build:typecheck:frontend', 'build', 4, 'candidate', 'typecheck', NULL, NULL, NULL, NULL),
  ('Test Cycle', 'test_cycle', 2, 'detected', NULL, NULL, NULL, NULL, NULL);
INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (1, 'a1b2c3d4');`;

describe("adopting an ADW database that has its own pattern tables", () => {
  let path: string;
  let opened: PatternloopDatabase;

  beforeEach(async () => {
    path = join(await testDirectory(), `adw-patterns-${Math.random().toString(36).slice(2)}.db`);
    createAdwHistory(path);
    const raw = new BetterSqlite3(path);
    raw.exec("DROP TABLE operation_patterns");
    raw.exec(ADW_DESIGN_PATTERNS_DDL);
    raw.close();
    opened = await createDatabase(path, { requireHistory: true });
  });
  afterEach(async () => {
    await opened.close();
  });

  it("carries tool_name, tool_script_path and the review into the pattern of the same signature", async () => {
    const patterns = await opened.db
      .selectFrom("operation_patterns")
      .select([
        "pattern_signature",
        "pattern_type",
        "automation_status",
        "occurrence_count",
        "tool_name",
        "tool_script_path",
        "reviewed_by",
        "reviewed_at",
        "review_notes",
      ])
      .orderBy("pattern_signature")
      .execute();
    expect(patterns).toEqual([
      {
        pattern_signature: "build:typecheck:frontend",
        pattern_type: "build",
        // A candidate is derived from the history again; only a person's decision is kept.
        automation_status: "detected",
        occurrence_count: 0,
        tool_name: "typecheck",
        tool_script_path: null,
        reviewed_by: null,
        reviewed_at: null,
        review_notes: null,
      },
      {
        pattern_signature: "test:pytest:backend",
        pattern_type: "test",
        automation_status: "approved",
        occurrence_count: 0,
        tool_name: "run_backend_tests",
        tool_script_path: "adws/tools/run_tests.py",
        reviewed_by: "alice",
        reviewed_at: "2025-01-20 14:00:00",
        review_notes: "safe: read-only test run",
      },
    ]);
    const history = await opened.db
      .selectFrom("pattern_status_history")
      .select(["from_status", "to_status", "changed_by", "note", "changed_at"])
      .execute();
    expect(history).toEqual([
      {
        from_status: "detected",
        to_status: "approved",
        changed_by: "alice",
        note: "safe: read-only test run",
        changed_at: "2025-01-20T14:00:00.000Z",
      },
    ]);
  });

  it("says what it changed: tables renamed, columns added, pattern rows carried and left", () => {
    expect(opened.upgrade).toMatchObject({
      renamed: [
        { from: "operation_patterns", to: "operation_patterns_legacy" },
        { from: "pattern_occurrences", to: "pattern_occurrences_legacy" },
      ],
      patterns_carried: 2,
      patterns_left: 1,
    });
    expect(opened.upgrade?.columns_added).toEqual(
      expect.arrayContaining(["workflow_id", "workflow_time", "patterns_processed_at"]),
    );
  });

  it("says nothing the second time: the upgrade is done", async () => {
    await opened.close();
    opened = await createDatabase(path, { requireHistory: true });
    expect(opened.upgrade).toBeUndefined();
  });
});

describe("adopting a history that has a table of one of patternloop's own names", () => {
  it("sets it aside under *_legacy and says so, the hook inbox too", async () => {
    const path = join(await testDirectory(), `adw-own-names-${Math.random().toString(36).slice(2)}.db`);
    createAdwHistory(path);
    const file = new BetterSqlite3(path);
    file.exec("CREATE TABLE hook_inbox (note TEXT); INSERT INTO hook_inbox VALUES ('theirs')");
    file.close();

    const opened = await createDatabase(path, { requireHistory: true });
    try {
      expect(opened.upgrade?.renamed).toContainEqual({ from: "hook_inbox", to: "hook_inbox_legacy" });
      const theirs = await opened.db
        .selectFrom("hook_inbox_legacy" as never)
        .selectAll()
        .execute();
      expect(theirs).toEqual([{ note: "theirs" }]);
    } finally {
      await opened.close();
    }
  });
});

describe("ADW writing its own rows after adoption", () => {
  it("its plain INSERT and its UPDATE to completed work, and the run is then a finished run like any other", async () => {
    const path = join(await testDirectory(), `adw-writes-${Math.random().toString(36).slice(2)}.db`);
    createAdwHistory(path);
    await (await createDatabase(path, { requireHistory: true })).close();

    // Exactly what ADW runs, from another connection, knowing nothing of patternloop's columns.
    const raw = new BetterSqlite3(path);
    try {
      raw
        .prepare(
          `INSERT INTO workflow_history (adw_id, issue_number, nl_input, github_url, workflow_template, model_used,
             status, start_time, worktree_path, backend_port, frontend_port)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          "adw-0042",
          42,
          "Run the frontend tests with vitest",
          "https://github.com/acme/app/issues/42",
          "adw_test_iso",
          "claude-sonnet-4",
          "running",
          "2025-02-01T12:00:00",
          "trees/adw-0042",
          9100,
          9200,
        );
      raw
        .prepare(
          "UPDATE workflow_history SET status = 'completed', end_time = ?, duration_seconds = ?, updated_at = CURRENT_TIMESTAMP WHERE adw_id = ?",
        )
        .run("2025-02-01T12:04:00", 240, "adw-0042");
      raw
        .prepare(
          "UPDATE workflow_history SET total_tokens = ?, actual_cost_total = ?, error_message = NULL WHERE adw_id = ?",
        )
        .run(120_000, 0.84, "adw-0042");
    } finally {
      raw.close();
    }

    const opened = await createDatabase(path, { requireHistory: true });
    try {
      expect(
        await opened.db
          .selectFrom("workflow_history")
          .select(["workflow_id", "workflow_time", "status", "patterns_processed_at", "total_tokens"])
          .where("adw_id", "=", "adw-0042")
          .executeTakeFirstOrThrow(),
      ).toEqual({
        workflow_id: "adw-0042",
        workflow_time: "2025-02-01T12:00:00.000Z",
        status: "completed",
        patterns_processed_at: null,
        total_tokens: 120_000,
      });
    } finally {
      await opened.close();
    }
  });
});
