import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { freshSchema, PG_URL, schemaUrl, withPostgres } from "./support/postgres.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

/**
 * One rule at every entry point (a lone surrogate, a NUL, bytes that are not UTF-8 are refused, the field
 * named), and the same on both engines: before, SQLite stored what PostgreSQL refused or altered.
 */
const ENGINES = PG_URL === undefined ? (["sqlite"] as const) : (["sqlite", "postgres"] as const);

const LONE = "contains a lone surrogate (\\ud800), which is not Unicode text";
const NUL = "contains a NUL character (\\u0000)";

/** A file of lines; a line given as bytes is written as is. */
function linesFile(directory: string, name: string, lines: (string | Uint8Array)[]): string {
  const path = join(directory, name);
  const newline = Buffer.from("\n");
  writeFileSync(path, Buffer.concat(lines.flatMap((line) => [Buffer.from(line), newline])));
  return path;
}

/** `prefix`, two bytes that are never UTF-8, then `suffix`. */
const notUtf8 = (prefix: string, suffix: string) =>
  Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xfe]), Buffer.from(suffix)]);

/** A fresh database of `engine` and a way to read its rows. */
function freshDatabase(engine: "sqlite" | "postgres") {
  if (engine === "sqlite") {
    const path = join(tempDirectory(), "history.db");
    return { url: path, rows: async (sql: string) => query(path, sql), path };
  }
  const schema = freshSchema();
  return {
    url: schemaUrl(schema),
    rows: (sql: string) =>
      withPostgres(async (client) => {
        await client.query(`set search_path to "${schema}"`);
        return (await client.query(sql)).rows;
      }),
    path: undefined,
  };
}

/** Whether Python's sqlite3 (as ADW's own tools) can read every text of every table; skipped without python3. */
function expectReadableByPython(path: string | undefined): void {
  if (path === undefined || spawnSync("python3", ["--version"]).status !== 0) return;
  const script = `import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for (table,) in con.execute("select name from sqlite_master where type = 'table'").fetchall():
    con.execute(f'select * from "{table}"').fetchall()`;
  const read = spawnSync("python3", ["-c", script, path], { encoding: "utf8" });
  expect(read.stderr).toBe("");
  expect(read.status).toBe(0);
}

for (const engine of ENGINES) {
  describe(`text patternloop cannot keep is refused at every entry point (${engine})`, {
    timeout: 120_000,
  }, () => {
    it("ingest workflows: each refused line is named with its field, skipped, and the rest stored", async () => {
      const directory = tempDirectory();
      const file = linesFile(directory, "runs.jsonl", [
        '{"workflow_id":"wf-ok-1","nl_input":"run the tests"}',
        '{"workflow_id":"wf-\\ud800-x"}',
        '{"workflow_id":"wf-\\u0000"}',
        '{"workflow_id":"wf-tool","tool_calls":[{"tool_name":"Bash","tool_input":{"command":"ls\\u0000"}}]}',
        notUtf8('{"workflow_id":"wf-', '"}'),
        '{"workflow_id":"wf-key","tool_calls":[{"tool_name":"Bash","tool_input":{"\\ud800":1}}]}',
        '{"workflow_id":"wf-ok-2","tool_calls":[{"tool_name":"Bash","tool_input":{"command":"pytest"}}]}',
      ]);
      const database = freshDatabase(engine);
      const run = runCli(["ingest", "workflows", file, "--db", database.url, "--json"]);
      expect(run.stderr).toBe(
        [
          `line 2: skipped: workflow_id: ${LONE}`,
          `line 3: skipped: workflow_id: ${NUL}`,
          `line 4: skipped: tool_calls.0.tool_input.command: ${NUL}`,
          "line 5: skipped: not valid UTF-8",
          `line 6: skipped: tool_calls.0.tool_input.\\ud800: its name ${LONE}`,
          "",
        ].join("\n"),
      );
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ read: 2, inserted: 2, malformed: 5, failed: 0 });
      expect(await database.rows("select workflow_id from workflow_history order by workflow_id")).toEqual([
        { workflow_id: "wf-ok-1" },
        { workflow_id: "wf-ok-2" },
      ]);
      expect(await database.rows("select tool_input from workflow_tool_calls")).toEqual([
        { tool_input: '{"command":"pytest"}' },
      ]);
      expectReadableByPython(database.path);
    });

    it("ingest hooks: the same, and a NUL in a tool's output (never kept) costs nothing", async () => {
      const directory = tempDirectory();
      const hook = (fields: Record<string, unknown>) => JSON.stringify(fields);
      const file = linesFile(directory, "hooks.jsonl", [
        hook({ hook_event_name: "UserPromptSubmit", session_id: "s1", prompt: "run the tests" }),
        '{"hook_event_name":"UserPromptSubmit","session_id":"s\\u0000","prompt":"run the tests"}',
        '{"hook_event_name":"UserPromptSubmit","session_id":"s2","prompt":"fix \\ud800"}',
        '{"hook_event_name":"PostToolUse","session_id":"s1","tool_name":"Bash","tool_input":{"command":"ls\\u0000"},"tool_use_id":"t1"}',
        hook({
          hook_event_name: "PostToolUse",
          session_id: "s1",
          tool_name: "Bash",
          tool_input: { command: "find . -print0" },
          tool_response: { stdout: "./a\u0000./b\u0000", stderr: "" },
          tool_use_id: "t2",
        }),
        notUtf8('{"hook_event_name":"Stop","session_id":"s', '"}'),
        hook({ hook_event_name: "Stop", session_id: "s1" }),
      ]);
      const database = freshDatabase(engine);
      const run = runCli(["ingest", "hooks", file, "--db", database.url, "--json"]);
      expect(run.stderr).toBe(
        [
          `line 2: skipped: not a hook payload: session_id: ${NUL}`,
          `line 3: skipped: not a hook payload: prompt: ${LONE}`,
          `line 4: skipped: not a hook payload: tool_input.command: ${NUL}`,
          "line 6: skipped: not valid UTF-8",
          "",
        ].join("\n"),
      );
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ malformed: 4, runs: 1, tool_calls: 1 });
      expect(await database.rows("select session_id from claude_code_sessions")).toEqual([
        { session_id: "s1" },
      ]);
      expect(await database.rows("select status from workflow_history")).toEqual([{ status: "completed" }]);
      expect(await database.rows("select tool_input from workflow_tool_calls")).toEqual([
        { tool_input: '{"command":"find . -print0"}' },
      ]);
      expectReadableByPython(database.path);
    });

    it("ingest claude-code: a line that is not UTF-8 is skipped, a run with text it cannot keep refused", async () => {
      const projects = join(tempDirectory(), "projects");
      mkdirSync(join(projects, "-home-me-app"), { recursive: true });
      let second = 0;
      const line = (fields: Record<string, unknown>) =>
        JSON.stringify({
          sessionId: "sess-1",
          uuid: `u${second}`,
          timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second++)).toISOString(),
          ...fields,
        });
      const prompt = (content: string) => line({ type: "user", message: { role: "user", content } });
      const toolUse = (id: string, command: string) =>
        line({
          type: "assistant",
          message: {
            id: `m-${id}`,
            model: "claude-sonnet-4-5",
            role: "assistant",
            content: [{ type: "tool_use", id, name: "Bash", input: { command } }],
            usage: { input_tokens: 10, output_tokens: 5 },
          },
        });
      const toolResult = (id: string, content: string) =>
        line({
          type: "user",
          message: { role: "user", content: [{ type: "tool_result", tool_use_id: id, content }] },
        });
      const file = linesFile(join(projects, "-home-me-app"), "sess-1.jsonl", [
        prompt("run the tests"),
        toolUse("t1", "pytest -q"),
        // Real transcripts hold NULs in tool output (seen in `templ` output): nothing of it is kept.
        toolResult("t1", "Scanning components\u0000 done"),
        prompt("fix \ud800 the build"),
        prompt("list the files"),
        toolUse("t2", "ls\u0000"),
        // Its id is made of the line's uuid: refused before it reaches a query (PostgreSQL refuses NUL there too).
        line({ type: "user", uuid: "p\u0000", message: { role: "user", content: "run the linter" } }),
        notUtf8('{"type":"user","message":{"content":"', '"}}'),
      ]);
      const database = freshDatabase(engine);
      const run = runCli(["ingest", "claude-code", "--dir", projects, "--db", database.url, "--json"]);
      expect(run.stderr.split("\n")).toEqual([
        `${file}: line 8: skipped: not valid UTF-8`,
        `${file}: run sess-1:u3 not stored: nl_input: contains a lone surrogate (\\ud800), which is not Unicode text`,
        `${file}: run sess-1:u4 not stored: tool_calls.0.tool_input.command: ${NUL}`,
        `${file}: run sess-1:p\\u0000 not stored: workflow_id: ${NUL}`,
        "",
      ]);
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout).runs).toMatchObject({ found: 4, added: 1, invalid: 3 });
      expect(await database.rows("select nl_input from workflow_history")).toEqual([
        { nl_input: "run the tests" },
      ]);
      expect(await database.rows("select tool_input, success from workflow_tool_calls")).toEqual([
        { tool_input: '{"command":"pytest -q"}', success: 1 },
      ]);
      expectReadableByPython(database.path);
    });
  });
}

describe("detect refuses the same lines, with nothing stored", () => {
  it("names a lone surrogate, a NUL and bytes that are not UTF-8, and detects the rest", () => {
    const file = linesFile(tempDirectory(), "records.jsonl", [
      '{"workflow_id":"wf-\\ud800-x","nl_input":"run pytest"}',
      notUtf8('{"workflow_id":"wf-2","nl_input":"run pytest ', '"}'),
      '{"workflow_id":"wf-3","tool_calls":[{"tool_name":"Bash","tool_input":{"command":"pytest\\u0000"}}]}',
      '{"workflow_id":"wf-4","nl_input":"run pytest"}',
    ]);
    const run = runCli(["detect", file, "--json"]);
    expect(run.stderr).toBe(
      [
        `line 1: skipped: workflow_id: ${LONE}`,
        "line 2: skipped: not valid UTF-8",
        `line 3: skipped: tool_calls.0.tool_input.command: ${NUL}`,
        "1 records, 1 with patterns, 3 malformed lines skipped",
        "",
      ].join("\n"),
    );
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((json) => JSON.parse(json).workflow_id),
    ).toEqual(["wf-4"]);
    expect(run.status).toBe(1);
  });
});
