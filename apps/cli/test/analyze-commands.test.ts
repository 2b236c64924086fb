import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

type Row = Record<string, unknown>;

/**
 * Six runs in two projects: each tests the back end (most with one test file or another), reads
 * `git status`, and commits with a message it wrote, four of them staging in the same command.
 */
const COMMANDS_HISTORY = fixture("commands-history.jsonl");

describe("patternloop analyze: the commands to script", { timeout: 60_000 }, () => {
  let path: string;
  beforeAll(() => {
    path = join(tempDirectory(), "commands.db");
    runOk(["ingest", "workflows", COMMANDS_HISTORY, "--db", path]);
    runOk(["backfill", "--db", path]);
  }, 60_000);
  const analyze = (...args: string[]) => runJson(["analyze", ...args, "--db", path]);

  it("details --json: the normalised commands, most common first, with directories and projects", () => {
    const details = analyze("details", "test:pytest:backend");
    expect(details.commands).toEqual([
      {
        command: "uv run pytest -q <paths>",
        count: 5,
        calls: 5,
        free_text: false,
        directories: [{ name: "app/server", count: 5 }],
        projects: [
          { name: "acme/shop", count: 4 },
          { name: "acme/api", count: 1 },
        ],
        example: "cd app/server && uv run pytest -q tests/test_billing.py 2>&1 | tail -30",
      },
      {
        command: "uv run pytest -q",
        count: 1,
        calls: 1,
        free_text: false,
        directories: [{ name: "app/server", count: 1 }],
        projects: [{ name: "acme/api", count: 1 }],
        example: "cd app/server && uv run pytest -q",
      },
    ]);
    expect(details.scriptability).toEqual({
      occurrences: 6,
      runs_with_commands: 6,
      distinct_commands: 2,
      top_command: "uv run pytest -q <paths>",
      top_command_share: 5 / 6,
      free_text_share: 0,
      scriptability: 5 / 6,
    });
  });

  it("details --json: a commit carries the agent's message, and staging runs in the same command", () => {
    const details = analyze("details", "git:commit:summary");
    expect(details.commands.map((c: Row) => [c.command, c.count, c.free_text])).toEqual([
      ["git add -A && git commit -m <message>", 4, true],
      ["git commit -m <message>", 2, true],
    ]);
    expect(details.scriptability).toMatchObject({ free_text_share: 1, scriptability: 0 });
    expect(details.run_together[0]).toEqual({
      pattern_signature: "git:add:summary",
      same_command: 4,
      same_run: 6,
    });
  });

  it("details without --json: scriptability, then the commands with their directories and projects", () => {
    const out = runOk(["analyze", "details", "test:pytest:backend", "--db", path]).stdout;
    expect(out).toMatch(/^ {2}scriptability: 83\.3% \(most common command in 83\.3% of runs/m);
    const table = out.slice(out.indexOf("Commands ("), out.indexOf("Run together with"));
    const first = table.split("\n").find((line) => /^\s*5\s/.test(line));
    expect(first?.split(/\s{2,}/).filter(Boolean)).toEqual([
      "5",
      "5",
      "no",
      "uv run pytest -q <paths>",
      "app/server (5)",
      "acme/shop (4), acme/api (1)",
    ]);
    const commit = runOk(["analyze", "details", "git:commit:summary", "--db", path]).stdout;
    expect(commit.slice(commit.indexOf("Run together with"))).toMatch(/^git:add:summary\s+4\s+6\s*$/m);
  });

  it("top and high-value --json carry scriptability; high-value ranks by what a script could save", () => {
    for (const row of analyze("top") as Row[]) {
      expect(row).toHaveProperty("scriptability");
      expect(row).toHaveProperty("free_text_share");
      expect(row).toHaveProperty("top_command");
    }
    const rows: Row[] = analyze("high-value");
    const reachable = rows.map((row) => row.scriptable_monthly_savings as number);
    expect(reachable).toEqual([...reachable].sort((a, b) => b - a));
    for (const row of rows)
      expect(row.scriptable_monthly_savings).toBeCloseTo(
        (row.potential_monthly_savings as number) * (row.scriptability as number),
        12,
      );
    expect(rows[0]).toMatchObject({
      pattern_signature: "git:status:summary",
      top_command: "git status",
      scriptability: 1,
    });
    expect(rows.at(-1)).toMatchObject({ pattern_signature: "git:commit:summary", scriptability: 0 });
    const table = runOk(["analyze", "high-value", "--db", path]).stdout.split("\n");
    expect(table[0]?.split(/\s{2,}/).filter(Boolean)).toContain("scriptable");
    expect(table[0]?.split(/\s{2,}/).filter(Boolean)).toContain("free text");
  });
});
