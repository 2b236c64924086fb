import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";
import { runInTerminal } from "./support/terminal.js";

const RUNS = 1200;

describe("progress of long commands: on a terminal only", { timeout: 120_000 }, () => {
  let directory: string;
  let records: string;
  let generate: ReturnType<typeof runInTerminal>;
  beforeAll(() => {
    directory = tempDirectory();
    records = join(directory, "runs.jsonl");
    generate = runInTerminal(["generate", "--runs", String(RUNS), "--seed", "9"], { stdoutTo: records });
  }, 120_000);

  it("generate draws a bar up to every run on the terminal, and the file holds only the runs", () => {
    expect(generate.status, generate.stdout).toBe(0);
    expect(generate.stdout).toMatch(/generate \[=+\] 1,200\/1,200 runs/);
    expect(generate.stdout).toContain("1,200 runs generated");
    const lines = readFileSync(records, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(RUNS);
    expect(() => lines.map((line) => JSON.parse(line))).not.toThrow();
  });

  it("ingest workflows counts the runs read as it goes", () => {
    const run = runInTerminal(["ingest", "workflows", records, "--db", join(directory, "a.db")]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/ingest: 500 runs read…/);
    expect(run.stdout).toMatch(/ingest: 1,200 runs read…/);
    expect(run.stdout).toContain("1,200 runs read: 1,200 added");
  });

  it("backfill still draws its bar through the same mechanism", () => {
    const db = join(directory, "b.db");
    runOk(["ingest", "workflows", records, "--db", db]);
    const run = runInTerminal(["backfill", "--db", db, "--no-replay"]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/backfill \[=+\] 1,200\/1,200 runs/);
  });

  it("backfill's replay of predictions draws a bar of its own, up to every run", () => {
    const db = join(directory, "r.db");
    runOk(["ingest", "workflows", records, "--db", db]);
    const run = runInTerminal(["backfill", "--db", db]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/replay \[=+\] 1,200\/1,200 runs/);
  });

  it("nothing but the summary when stderr is not a terminal", () => {
    const ingest = runCli(["ingest", "workflows", records, "--db", join(directory, "c.db")]);
    expect(ingest.status).toBe(0);
    expect(ingest.stderr).toBe("");
    const generated = runCli(["generate", "--runs", "50"]);
    expect(generated.stderr).toBe("50 runs generated\n");
  });
});
