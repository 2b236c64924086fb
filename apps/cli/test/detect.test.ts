import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "./run-cli.js";
import { expectRefusal } from "./support/refusal.js";

describe("patternloop detect", () => {
  it("prints one JSON line per record with signatures and evidence", () => {
    const run = runCli(["detect", fixture("records.jsonl"), "--json"]);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.workflow_id)).toEqual(["wf-1", "a1b2c3d4", "wf-3"]);
    expect(lines[0].patterns).toEqual([
      {
        signature: "test:pytest:backend",
        evidence: [
          { source: "tool_call", text: "cd app/server && uv run pytest -q", rule: "command:pytest" },
        ],
      },
    ]);
    expect(lines[1].patterns).toEqual([]);
    // wf-3 ran `git diff`; its request ("Typecheck and lint the frontend") is intent, not execution.
    expect(lines[2].patterns.map((p: { signature: string }) => p.signature)).toEqual(["git:diff:summary"]);
  });

  it("explains in plain text without --json", () => {
    const run = runCli(["detect", fixture("records.jsonl")]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "wf-1: 1 pattern\n  test:pytest:backend\n    tool call #1: cd app/server && uv run pytest -q  (command:pytest)",
    );
    expect(run.stdout).toContain("a1b2c3d4: no patterns");
    expect(run.stderr).toContain("3 records, 2 with patterns");
  });

  it("reads standard input with -", () => {
    const run = runCli(["detect", "-", "--json"], {
      input: '{"workflow_id":"x","tool_calls":[{"tool_name":"Bash","tool_input":{"command":"npm ci"}}]}\n',
    });
    expect(JSON.parse(run.stdout).patterns[0].signature).toBe("deps:npm:update");
  });

  it("reports malformed lines with their number, keeps going, and exits 1", () => {
    const input = [
      '{"workflow_id":"ok-1"}',
      "{not json",
      '{"workflow_id": 5}',
      '{"nl_input":"no id"}',
      '{"workflow_id":"x","status":"done"}',
      '{"workflow_id":"ok-2"}',
    ].join("\n");
    const run = runCli(["detect", "-", "--json"], { input });
    expect(run.status).toBe(1);
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).workflow_id),
    ).toEqual(["ok-1", "ok-2"]);
    expect(run.stderr).toMatch(/line 2: skipped: invalid JSON/);
    expect(run.stderr).toMatch(/line 3: skipped: workflow_id: /);
    expect(run.stderr).toMatch(/line 4: skipped: workflow_id: a record needs a workflow_id or an adw_id/);
    expect(run.stderr).toMatch(/line 5: skipped: status: /);
    expect(run.stderr).toContain("2 records, 0 with patterns, 4 malformed lines skipped");
  });

  it("refuses a missing file with one line and exit code 2", () => {
    const run = runCli(["detect", "/nonexistent/records.jsonl"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("patternloop: file not found: /nonexistent/records.jsonl\n");
  });

  it("says in one line to use `ingest claude-code` for a Claude Code transcript, not a skip per line", {
    timeout: 60_000,
  }, () => {
    const projects = fixture("transcripts/projects");
    const transcripts = readdirSync(projects, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".jsonl"))
      .map((name) => `${projects}/${name}`);
    expect(transcripts.length).toBeGreaterThan(0);
    for (const transcript of transcripts) {
      for (const args of [
        ["detect", transcript],
        ["detect", transcript, "--json"],
      ]) {
        expectRefusal(
          runCli(args),
          `patternloop: ${transcript} is a Claude Code transcript, not workflow records: load it with \`patternloop ingest claude-code --dir ${dirname(transcript)}\``,
        );
      }
    }
    const piped = runCli(["detect"], { input: readFileSync(transcripts[0] as string) });
    expectRefusal(piped, "standard input is a Claude Code transcript");
  });

  it("says to use `ingest hooks` for a hook log", () => {
    const log = fixture("transcripts/hook-logs/hook-events.jsonl");
    expectRefusal(
      runCli(["detect", log]),
      `${log} is a hook log, not workflow records: load it with \`patternloop ingest hooks ${log}\``,
    );
  });

  it("still skips, line by line, what is malformed in a file of records", () => {
    const run = runCli(["detect", "-"], {
      input: `${readFileSync(fixture("records.jsonl"), "utf8")}{"sessionId":"s","type":"user"}\n`,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^line 4: skipped: /m);
    expect(run.stdout).toContain("wf-1");
  });
});
