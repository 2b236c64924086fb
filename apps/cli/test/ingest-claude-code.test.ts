import { cpSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { costOf } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Three real sessions laid out as in `~/.claude/projects`: Claude Code 1.0.69, 2.1.29 and 2.1.90. */
const PROJECTS = fixture("transcripts/projects");

const sessionFiles = (root: string): string[] =>
  readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".jsonl"))
    .map((name) => join(root, name));

interface SessionFigures {
  runs: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
}

interface Line {
  type?: string;
  data?: { type?: string; message?: Line };
  sessionId?: string;
  timestamp?: string;
  isSidechain?: boolean;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  message?: {
    id: string;
    model?: string;
    content?: string | { type?: string; id?: string; text?: string }[];
    usage?: Record<string, number | Record<string, number> | undefined>;
  };
}

/**
 * A separate, plain pass over a session transcript: the prompts a user typed (slash commands that ran
 * locally excluded), tool calls by distinct `tool_use` id, and usage summed once per `message.id` (its last
 * line), priced with the message's model.
 */
function expectedOf(text: string): { session: string; prompts: string[]; figures: SessionFigures } {
  const usage = new Map<string, { tokens: number[]; cost: number }>();
  const toolUses = new Set<string>();
  const prompts: string[] = [];
  let command: string | undefined;
  let session = "";
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    const parsed = JSON.parse(raw) as Line;
    // Claude Code 2.x also writes a subagent's messages into `agent_progress` lines.
    const carried =
      parsed.type === "progress" && parsed.data?.type === "agent_progress" ? parsed.data.message : undefined;
    const line = carried ? { ...carried, isSidechain: true } : parsed;
    session ||= line.sessionId ?? "";
    const content = line.message?.content;
    const blocks = typeof content === "string" ? [{ type: "text", text: content }] : (content ?? []);
    if (line.type === "assistant" && line.message && line.message.model !== "<synthetic>") {
      if (command) prompts.push(command);
      command = undefined;
      const u = line.message.usage ?? {};
      const n = (key: string) => (typeof u[key] === "number" ? (u[key] as number) : 0);
      const split = (u.cache_creation ?? {}) as Record<string, number>;
      const tokens = [
        n("input_tokens"),
        n("output_tokens"),
        n("cache_read_input_tokens"),
        n("cache_creation_input_tokens"),
      ];
      const cost = costOf(
        {
          input_tokens: tokens[0],
          output_tokens: tokens[1],
          cache_read_tokens: tokens[2],
          cache_creation_tokens: tokens[3],
          cache_creation_5m_tokens: split.ephemeral_5m_input_tokens,
          cache_creation_1h_tokens: split.ephemeral_1h_input_tokens,
        },
        line.message.model,
      );
      usage.set(line.message.id, { tokens, cost: cost.ok ? cost.cost_usd : Number.NaN });
      for (const block of blocks) if (block.type === "tool_use" && block.id) toolUses.add(block.id);
    }
    if (line.type !== "user" || line.isSidechain || line.isMeta || line.isCompactSummary) continue;
    if (blocks.some((block) => block.type === "tool_result")) continue;
    const said = blocks.map((block) => (block.type === "text" ? block.text : "")).join("\n");
    if (/^\s*<local-command-std(?:out|err)>/.test(said)) command = undefined;
    if (/^\s*(?:<local-command|<task-notification>|Caveat:|\[Request interrupted)/.test(said)) continue;
    if (command) prompts.push(command);
    command = said.includes("<command-name>") ? (line.timestamp ?? "") : undefined;
    if (command === undefined) prompts.push(line.timestamp ?? "");
  }
  if (command) prompts.push(command);
  const figures: SessionFigures = {
    runs: prompts.length,
    tool_calls: toolUses.size,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    cost_usd: 0,
  };
  for (const { tokens, cost } of usage.values()) {
    figures.input_tokens += tokens[0] ?? 0;
    figures.output_tokens += tokens[1] ?? 0;
    figures.cache_read_tokens += tokens[2] ?? 0;
    figures.cache_creation_tokens += tokens[3] ?? 0;
    figures.cost_usd += cost;
  }
  return { session, prompts, figures };
}

/** What the database holds, per session (the part of `workflow_id` before the colon). */
function storedBySession(db: string): Map<string, SessionFigures> {
  const rows = query(
    db,
    `SELECT substr(h.workflow_id, 1, instr(h.workflow_id, ':') - 1) AS session, count(*) AS runs,
            sum((SELECT count(*) FROM workflow_tool_calls c WHERE c.workflow_id = h.workflow_id)) AS tool_calls,
            sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
            sum(cache_read_tokens) AS cache_read_tokens, sum(cache_creation_tokens) AS cache_creation_tokens,
            sum(actual_cost_total) AS cost_usd
       FROM workflow_history h GROUP BY 1`,
  );
  return new Map(
    rows.map(({ session, ...figures }) => [session as string, figures as unknown as SessionFigures]),
  );
}

/** Everything a user could see changed in the database, besides bookkeeping times. */
function snapshot(db: string) {
  return {
    runs: query(db, "SELECT * FROM workflow_history ORDER BY workflow_id").map(
      ({ created_at: _c, updated_at: _u, ...row }) => row,
    ),
    calls: query(db, "SELECT * FROM workflow_tool_calls ORDER BY workflow_id, seq"),
  };
}

function copyProjects(): { root: string; db: string } {
  const directory = tempDirectory();
  const root = join(directory, "projects");
  cpSync(PROJECTS, root, { recursive: true });
  return { root, db: join(directory, "history.db") };
}

function expectFigures(actual: SessionFigures | undefined, expected: SessionFigures): void {
  expect(actual).toBeDefined();
  const { cost_usd, ...tokens } = expected;
  expect(actual).toMatchObject(tokens);
  expect(actual?.cost_usd).toBeCloseTo(cost_usd, 9);
}

describe("patternloop ingest claude-code", { timeout: 120_000 }, () => {
  it("stores each session's runs, tool calls, tokens and cost as an independent count finds them", () => {
    const { root, db } = copyProjects();
    const summary = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(summary.dirs).toEqual([root]);
    expect(summary.files).toEqual({ found: 3, read: 3, unchanged: 0, unreadable: 0 });
    const stored = storedBySession(db);
    let runs = 0;
    for (const file of sessionFiles(root)) {
      const expected = expectedOf(readFileSync(file, "utf8"));
      expectFigures(stored.get(expected.session), expected.figures);
      const reported = summary.sessions.find(
        (s: { session_id: string }) => s.session_id === expected.session,
      );
      expectFigures(reported, expected.figures);
      runs += expected.figures.runs;
    }
    expect(stored.size).toBe(3);
    expect(summary.runs).toMatchObject({ found: runs, added: runs, already_present: 0 });
    // Every stored tool call carries the tokens the transcript gives it.
    expect(query(db, "SELECT count(*) AS n FROM workflow_tool_calls WHERE input_tokens IS NULL")).toEqual([
      { n: 0 },
    ]);
  });

  it("ingests nothing new the second time, and changes nothing", () => {
    const { root, db } = copyProjects();
    runOk(["ingest", "claude-code", "--dir", root, "--db", db]);
    const before = snapshot(db);
    const again = runOk(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(again.stdout).toContain("files: 3 found, 0 read, 3 unchanged (skipped)\n");
    expect(again.stdout).toContain("runs: 0 found, 0 added, 0 already present\n");
    expect(snapshot(db)).toEqual(before);
  });

  it("does not read again a file whose size and modification time are those it had when ingested", () => {
    const { root, db } = copyProjects();
    const file = sessionFiles(root)[0] as string;
    // A whole second, which every file system keeps exactly.
    const modified = new Date("2026-03-02T10:00:00Z");
    utimesSync(file, modified, modified);
    runOk(["ingest", "claude-code", "--dir", root, "--db", db]);
    const before = snapshot(db);
    // Same size, same time, other bytes: only a read would notice, and none is made.
    const text = readFileSync(file, "utf8");
    const renamed = text.replace(/"type": ?"user"/g, (type) => type.replace("user", "uzer"));
    expect(renamed).not.toBe(text);
    writeFileSync(file, renamed);
    utimesSync(file, modified, modified);
    expect(runJson(["ingest", "claude-code", "--dir", root, "--db", db]).files).toEqual({
      found: 3,
      read: 0,
      unchanged: 3,
      unreadable: 0,
    });
    expect(snapshot(db)).toEqual(before);
    // Touched, the file is read again.
    utimesSync(file, new Date(), new Date());
    expect(runJson(["ingest", "claude-code", "--dir", root, "--db", db]).files).toMatchObject({ read: 1 });
  });

  it("prints a line per session with --verbose, and totals", () => {
    const { root, db } = copyProjects();
    const run = runOk(["ingest", "claude-code", "--dir", root, "--db", db, "--verbose"]);
    expect(run.stdout).toMatch(/^\s*session\s+runs\s+added\s+tool calls\s+tokens\s+cost/m);
    expect(run.stdout).toMatch(/^1a16b56e-507e-42df-8b47-84f2c46bd70d\s+1\s+1\s+3\s+91,219\s+\$0\.12/m);
    expect(run.stdout).toContain(`read ${root}\n`);
    expect(run.stdout).toMatch(/^cost: \$\d+\.\d\d$/m);
  });

  it("skips runs that started before --since, and takes them later without it", () => {
    const { root, db } = copyProjects();
    const shrooms = sessionFiles(root).find((file) => file.includes("shrooms")) as string;
    const { prompts } = expectedOf(readFileSync(shrooms, "utf8"));
    const since = prompts[2] as string;
    const summary = runJson(["ingest", "claude-code", "--dir", root, "--db", db, "--since", since]);
    const kept = query(db, "SELECT start_time FROM workflow_history").map((row) => row.start_time as string);
    expect(kept.every((start) => start >= since)).toBe(true);
    expect(kept).toHaveLength(prompts.length - 2);
    expect(summary.runs.before_since).toBeGreaterThanOrEqual(2);
    const later = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(later.runs.added).toBe(summary.runs.before_since);
    expect(runCli(["ingest", "claude-code", "--dir", root, "--db", db, "--since", "yesterday"]).status).toBe(
      2,
    );
  });

  it("reads a changed transcript again: the run it cut short is updated, new ones are added", () => {
    const { root, db } = copyProjects();
    const file = sessionFiles(root).find((path) => path.includes("shrooms")) as string;
    const full = readFileSync(file, "utf8");
    const lines = full.split("\n");
    writeFileSync(file, `${lines.slice(0, 30).join("\n")}\n`);
    const first = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    const runsOf = () => query(db, "SELECT * FROM workflow_history ORDER BY start_time, workflow_id");
    const before = runsOf();
    writeFileSync(file, full);
    const second = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(second.files).toMatchObject({ read: 1, unchanged: 2 });
    const expected = expectedOf(full);
    const cut = first.sessions.find((s: { file: string }) => s.file === file).runs;
    expect(second.runs).toMatchObject({
      updated: 1,
      already_present: cut - 1,
      added: expected.figures.runs - cut,
    });
    expectFigures(storedBySession(db).get(expected.session), expected.figures);
    // The run the first part cut short is the latest stored then; every other run is as it was.
    const after = runsOf();
    const shortened = before.at(-1) as Record<string, unknown>;
    for (const row of before.slice(0, -1)) expect(after).toContainEqual(row);
    const whole = after.find((row) => row.workflow_id === shortened.workflow_id);
    expect(whole?.total_tokens as number).toBeGreaterThan(shortened.total_tokens as number);
    expect(runJson(["ingest", "claude-code", "--dir", root, "--db", db]).files.read).toBe(0);
  });

  it("counts a subagent transcript kept apart (agent-*.jsonl) for the run that launched it", () => {
    const { root, db } = copyProjects();
    const session = "1a16b56e-507e-42df-8b47-84f2c46bd70d";
    const agentDir = join(root, "-Users-user12-Documents-Coding-10-box-os", session, "subagents");
    mkdirSync(agentDir, { recursive: true });
    const agent = (id: string, usage: object) =>
      JSON.stringify({
        type: "assistant",
        isSidechain: true,
        agentId: "a7",
        sessionId: session,
        uuid: `agent-line-${id}`,
        timestamp: "2025-08-06T09:08:30.000Z",
        message: {
          id,
          model: "claude-sonnet-4-20250514",
          role: "assistant",
          content: [{ type: "tool_use", id: `toolu_${id}`, name: "Grep", input: { pattern: "PRD" } }],
          usage,
        },
      });
    writeFileSync(
      join(agentDir, "agent-a7.jsonl"),
      `${agent("msg_agent_1", { input_tokens: 1000, output_tokens: 100 })}\n${agent("msg_agent_1", { input_tokens: 1000, output_tokens: 200 })}\n`,
    );
    const summary = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(summary.files).toMatchObject({ found: 4, read: 4 });
    const [run] = query(db, "SELECT * FROM workflow_history WHERE workflow_id LIKE ?", `${session}:%`);
    expect(run).toMatchObject({ input_tokens: 23 + 1000, output_tokens: 3337 + 200 });
    const calls = query(
      db,
      "SELECT tool_name FROM workflow_tool_calls WHERE workflow_id = ? ORDER BY seq",
      run?.workflow_id,
    );
    expect(calls.map((call) => call.tool_name)).toEqual(["Read", "Task", "Read", "Grep"]);
  });

  it("stores a prompt that a resumed session's transcript copied once, under the original session", () => {
    const { root, db } = copyProjects();
    const original = sessionFiles(root).find((path) => path.includes("10-box-os")) as string;
    const copy = readFileSync(original, "utf8")
      .replaceAll("1a16b56e-507e-42df-8b47-84f2c46bd70d", "99999999-0000-4000-8000-000000000000")
      .replaceAll(/"timestamp": "2025-08-06T09:0/g, '"timestamp": "2025-08-06T10:0');
    writeFileSync(
      join(root, "-Users-user12-Documents-Coding-10-box-os", "99999999-0000-4000-8000-000000000000.jsonl"),
      copy,
    );
    const summary = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(summary.runs.copied).toBe(1);
    const ids = query(db, "SELECT workflow_id FROM workflow_history WHERE workflow_id LIKE '%ddcbf8b3%'");
    expect(ids).toEqual([
      { workflow_id: "1a16b56e-507e-42df-8b47-84f2c46bd70d:ddcbf8b3-b7e0-488b-8e5e-30e55f963fd9" },
    ]);
  });

  it("reads the default directories that exist and says which", () => {
    const home = tempDirectory();
    const config = join(home, "custom-config");
    cpSync(PROJECTS, join(home, ".claude", "projects"), { recursive: true });
    mkdirSync(join(config, "projects"), { recursive: true });
    const db = join(home, "history.db");
    const summary = runJson(["ingest", "claude-code", "--db", db], {
      env: { HOME: home, CLAUDE_CONFIG_DIR: config },
    });
    expect(summary.dirs).toEqual([join(home, ".claude", "projects"), join(config, "projects")]);
    expect(summary.files.found).toBe(3);
    const none = runCli(["ingest", "claude-code", "--db", db], {
      env: { HOME: tempDirectory(), CLAUDE_CONFIG_DIR: "" },
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(
      /^patternloop: no Claude Code transcripts: none of .* exists; pass --dir DIR\n$/,
    );
  });

  it("refuses a missing directory or a file that is not a database, with one line and exit code 2", () => {
    const { root, db } = copyProjects();
    const missing = runCli([
      "ingest",
      "claude-code",
      "--dir",
      root,
      "--dir",
      "/nonexistent/projects",
      "--db",
      db,
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("patternloop: directory not found: /nonexistent/projects\n");
    const notDb = join(root, "..", "notes.txt");
    writeFileSync(notDb, "this is not a database\n".repeat(100));
    const bad = runCli(["ingest", "claude-code", "--dir", root, "--db", notDb]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^patternloop: /);
  });
});
