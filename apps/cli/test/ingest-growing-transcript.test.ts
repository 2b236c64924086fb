import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { fixture } from "./run-cli.js";
import { HISTORY, runJson, runOk } from "./support/history.js";
import { freshSchema, PG_URL, schemaUrl, withPostgres } from "./support/postgres.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

/** A real session of five prompts (Claude Code 2.1), whose second run has several tool calls. */
const SESSION = fixture(
  "transcripts/projects/-home-user2-development-shrooms/5ecdf49b-d3ef-4240-be4b-5e265fc89ea0.jsonl",
);
const FULL = readFileSync(SESSION, "utf8");

/** The transcript up to a tool call in its second half: a turn in progress, as a live session's file is. */
function midTurn(text: string): string {
  const lines = text.split("\n");
  const cut = lines.findIndex((line, i) => {
    if (i < lines.length / 2 || line.trim() === "") return false;
    const entry = JSON.parse(line) as { type?: string; message?: { content?: unknown } };
    const content = entry.message?.content;
    return (
      entry.type === "assistant" &&
      Array.isArray(content) &&
      content.some((block) => block?.type === "tool_use")
    );
  });
  if (cut === -1) throw new Error("no tool call in the second half");
  return `${lines.slice(0, cut + 1).join("\n")}\n`;
}

/** Every run and tool call stored, without row ids and bookkeeping times. */
type Dump = { runs: Record<string, unknown>[]; calls: Record<string, unknown>[]; patterns: unknown[] };

interface Engine {
  name: string;
  url: (directory: string) => string;
  dump: (url: string) => Promise<Dump>;
}

const bare = ({
  id: _i,
  created_at: _c,
  updated_at: _u,
  patterns_processed_at: _p,
  ...row
}: Record<string, unknown>) => row;
const PATTERNS = `SELECT pattern_signature, occurrence_count, confidence_score, avg_tokens_with_llm, avg_cost_with_llm,
  potential_monthly_savings, first_seen, last_seen, typical_input_pattern FROM operation_patterns ORDER BY pattern_signature`;

const ENGINES: Engine[] = [
  {
    name: "SQLite",
    url: (directory) => join(directory, "history.db"),
    dump: async (path) => ({
      runs: query(path, "SELECT * FROM workflow_history ORDER BY workflow_id").map(bare),
      calls: query(path, "SELECT * FROM workflow_tool_calls ORDER BY workflow_id, seq").map(bare),
      patterns: query(path, PATTERNS),
    }),
  },
];
if (PG_URL !== undefined) {
  const schemas = new Map<string, string>();
  ENGINES.push({
    name: "PostgreSQL",
    url: () => {
      const schema = freshSchema();
      const url = schemaUrl(schema);
      schemas.set(url, schema);
      return url;
    },
    dump: (url) =>
      withPostgres(async (client) => {
        const rows = async (sql: string) => {
          await client.query(`SET search_path TO "${schemas.get(url)}"`);
          return (await client.query(sql)).rows;
        };
        return {
          runs: (await rows("SELECT * FROM workflow_history ORDER BY workflow_id")).map(bare),
          calls: (await rows("SELECT * FROM workflow_tool_calls ORDER BY workflow_id, seq")).map(bare),
          patterns: await rows(PATTERNS),
        };
      }),
  });
}

/** A `projects` directory holding the session's file with `text`; returns the file and the directory. */
function projects(text: string): { root: string; file: string } {
  const root = join(tempDirectory(), "projects");
  const dir = join(root, "-home-user2-development-shrooms");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "5ecdf49b-d3ef-4240-be4b-5e265fc89ea0.jsonl");
  writeFileSync(file, text);
  return { root, file };
}

for (const engine of ENGINES) {
  describe(`ingest claude-code of a transcript that grows (${engine.name})`, { timeout: 120_000 }, () => {
    it("written in two steps, ingested after each, ends as the whole file ingested once", async () => {
      const once = engine.url(tempDirectory());
      runOk(["ingest", "claude-code", "--dir", projects(FULL).root, "--db", once]);

      const twice = engine.url(tempDirectory());
      const { root, file } = projects(midTurn(FULL));
      const first = runJson(["ingest", "claude-code", "--dir", root, "--db", twice]);
      writeFileSync(file, FULL);
      const second = runJson(["ingest", "claude-code", "--dir", root, "--db", twice]);
      expect(await engine.dump(twice)).toEqual(await engine.dump(once));
      expect(second.runs).toMatchObject({ updated: 1, already_present: first.runs.added - 1 });
      expect(second.runs.added).toBe(second.runs.found - first.runs.added);

      // Ingested again unchanged: skipped, and nothing moves.
      const third = runJson(["ingest", "claude-code", "--dir", root, "--db", twice]);
      expect(third.files).toMatchObject({ read: 0, unchanged: 1 });
      expect(await engine.dump(twice)).toEqual(await engine.dump(once));
    });

    it("updates a run already backfilled: the check passes, and a backfill records it as it is now", async () => {
      const once = engine.url(tempDirectory());
      runOk(["ingest", "claude-code", "--dir", projects(FULL).root, "--db", once]);
      runOk(["backfill", "--db", once]);

      const twice = engine.url(tempDirectory());
      const { root, file } = projects(midTurn(FULL));
      runOk(["ingest", "claude-code", "--dir", root, "--db", twice]);
      runOk(["backfill", "--db", twice]);
      writeFileSync(file, FULL);
      runOk(["ingest", "claude-code", "--dir", root, "--db", twice]);
      expect(runOk(["check", "--db", twice]).stdout).toContain("integrity: ok");
      runOk(["backfill", "--db", twice]);
      expect(runOk(["check", "--db", twice]).stdout).toContain("integrity: ok");
      expect(await engine.dump(twice)).toEqual(await engine.dump(once));
      expect(runJson(["backfill", "--db", twice])).toMatchObject({ processed: 0 });
    });
  });
}

describe("ingest claude-code after a backfill", { timeout: 120_000 }, () => {
  it("keeps monthly savings equal to a recount when the new runs widen the history's span", () => {
    const db = join(tempDirectory(), "history.db");
    // Runs of 5 to 21 January, backfilled; the session is of April: the span grows from 16 days to 87.
    runOk(["ingest", "workflows", HISTORY, "--db", db]);
    runOk(["backfill", "--db", db]);
    runOk(["ingest", "claude-code", "--dir", projects(FULL).root, "--db", db]);
    expect(runOk(["check", "--db", db]).stdout).toContain("integrity: ok");
  });
});

/** The transcript with every time moved so that its last line was written `ago` ms before now. */
function endingAgo(text: string, ago: number): string {
  const times = [...text.matchAll(/"timestamp":\s*"([^"]+)"/g)].map((match) =>
    Date.parse(match[1] as string),
  );
  const shift = Date.now() - ago - Math.max(...times);
  return text.replace(
    /"timestamp":\s*"([^"]+)"/g,
    (_, time: string) => `"timestamp":"${new Date(Date.parse(time) + shift).toISOString()}"`,
  );
}

describe("ingest claude-code of a session still being written", { timeout: 120_000 }, () => {
  it("stores its last run as running and reads the file again until the session is quiet", () => {
    const { root } = projects(endingAgo(midTurn(FULL), 60_000));
    const db = join(root, "..", "history.db");
    const statuses = () =>
      query(db, "SELECT status, end_time FROM workflow_history ORDER BY start_time").map((row) => row.status);
    const first = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    const runs = first.runs.added as number;
    expect(statuses()).toEqual([...Array(runs - 1).fill("completed"), "running"]);
    expect(query(db, "SELECT end_time FROM workflow_history WHERE status = 'running'")).toEqual([
      { end_time: null },
    ]);
    // Not marked ingested: read again, and the same content changes nothing.
    const again = runJson(["ingest", "claude-code", "--dir", root, "--db", db]);
    expect(again.files).toMatchObject({ read: 1, unchanged: 0 });
    expect(again.runs).toMatchObject({ added: 0, updated: 0, already_present: runs });
    // Half an hour later, with no new line, the same file gives the run its end.
    const clock = join(root, "..", "later.mjs");
    writeFileSync(clock, "const now = Date.now; Date.now = () => now() + 31 * 60_000;\n");
    const later = runJson(["ingest", "claude-code", "--dir", root, "--db", db], {
      env: { NODE_OPTIONS: `--import ${pathToFileURL(clock).href}` },
    });
    expect(later.runs).toMatchObject({ added: 0, updated: 1 });
    expect(statuses()).toEqual(Array(runs).fill("completed"));
    expect(runJson(["ingest", "claude-code", "--dir", root, "--db", db]).files).toMatchObject({
      read: 0,
      unchanged: 1,
    });
  });
});
