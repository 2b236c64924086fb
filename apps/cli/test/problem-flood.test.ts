import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { expectRefusal } from "./support/refusal.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Bytes that look like a compiled program: every byte value, NULs and ESCs among them, and line breaks. */
function binaryBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 7;
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = state >> 23;
  }
  return bytes;
}

/** Anything a terminal would act on rather than show: C0 and C1 controls, DEL, bidi overrides. */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

describe("problems in the input are summed up, never echoed raw", { timeout: 120_000 }, () => {
  it("refuses a binary file with one line, before any database is created", () => {
    const directory = tempDirectory();
    const file = join(directory, "a.out");
    writeFileSync(file, binaryBytes(300_000));
    const db = join(directory, "history.db");
    for (const args of [
      ["ingest", "workflows", file, "--db", db],
      ["ingest", "hooks", file, "--db", db],
      ["detect", file],
    ])
      expectRefusal(
        runCli(args),
        `patternloop: ${file}: a binary file, not JSON Lines (a NUL byte at offset `,
      );
    expect(existsSync(db)).toBe(false);
    expectRefusal(
      runCli(["detect"], { input: binaryBytes(300_000) }),
      /^patternloop: standard input: a binary file, not JSON Lines \(a NUL byte at offset \d+\)\n$/,
    );
  });

  it("prints the first 20 problems, then one line counting the rest, with control characters escaped", () => {
    const directory = tempDirectory();
    const file = join(directory, "colours.jsonl");
    // V8 quotes the start of a line it cannot parse: here ESC sequences, a carriage return and a bidi override.
    const bad = (i: number) => `\u001b[31mred ${i}\u001b[0m\r\u202e`;
    writeFileSync(
      file,
      `${Array.from({ length: 1000 }, (_, i) => bad(i)).join("\n")}\n{"workflow_id":"wf-ok"}\n`,
    );
    const run = runCli(["ingest", "workflows", file, "--db", join(directory, "history.db")]);
    const lines = run.stderr.split("\n");
    expect(lines).toHaveLength(22);
    expect(lines[0]).toBe(
      `line 1: skipped: invalid JSON (Unexpected token '\\u001b', "\\u001b[31mred 0\\u001b[0m\\r\\u202e" is not valid JSON)`,
    );
    expect(
      lines.slice(0, 20).every((line, i) => line.startsWith(`line ${i + 1}: skipped: invalid JSON`)),
    ).toBe(true);
    expect(lines[20]).toBe("… and 980 more problems");
    expect(lines[21]).toBe("");
    expect(run.stderr.replaceAll("\n", "")).not.toMatch(CONTROL);
    expect(run.stdout).toBe(
      "1 runs read: 1 added, 0 already present, 0 tool calls; 1,000 malformed lines skipped\n",
    );
    expect(run.status).toBe(1);
  });

  it("caps detect, ingest hooks and ingest claude-code alike", () => {
    const directory = tempDirectory();
    const file = join(directory, "garbage.jsonl");
    writeFileSync(file, "not json\n".repeat(25));
    expect(runCli(["detect", file]).stderr).toMatch(
      /^(?:line \d+: skipped: .*\n){20}… and 5 more problems\n0 records/,
    );
    const hooks = runCli(["ingest", "hooks", file, "--db", join(directory, "h.db")]);
    expect(hooks.stderr).toMatch(/^(?:line \d+: skipped: .*\n){20}… and 5 more problems\n$/);
    const projects = join(directory, "projects", "-home-me-app");
    mkdirSync(projects, { recursive: true });
    for (let i = 0; i < 22; i++)
      writeFileSync(join(projects, `s${i}.jsonl`), Buffer.from([0x7b, 0xff, 0x0a]));
    const transcripts = runCli([
      "ingest",
      "claude-code",
      "--dir",
      join(directory, "projects"),
      "--db",
      join(directory, "c.db"),
    ]);
    expect(transcripts.stderr).toMatch(
      /^(?:.*s\d+\.jsonl: line 1: skipped: not valid UTF-8\n){20}… and 2 more problems\n$/,
    );
  });

  it("reads lines ended by CRLF as before", () => {
    const file = join(tempDirectory(), "crlf.jsonl");
    writeFileSync(file, '{"workflow_id":"wf-1","nl_input":"run pytest"}\r\n{"workflow_id":"wf-2"}\r\n');
    const run = runCli(["detect", file, "--json"]);
    expect(run.stderr).toBe("2 records, 1 with patterns\n");
    expect(run.status).toBe(0);
  });
});
