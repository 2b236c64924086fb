import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN } from "./run-cli.js";
import { runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

describe("numbers in human output have thousands separators, never in --json", { timeout: 120_000 }, () => {
  let directory: string;
  let records: string;
  let generated: string;
  beforeAll(() => {
    directory = tempDirectory();
    records = join(directory, "runs.jsonl");
    const out = openSync(records, "w");
    const run = spawnSync(process.execPath, [BIN, "generate", "--runs", "1500", "--seed", "3"], {
      stdio: ["ignore", out, "pipe"],
      encoding: "utf8",
    });
    closeSync(out);
    generated = run.stderr;
  }, 120_000);

  it("generate", () => {
    expect(generated).toBe("1,500 runs generated\n");
  });

  it("detect", () => {
    expect(runOk(["detect", records]).stderr).toMatch(/^1,500 records, 1,\d{3} with patterns\n$/);
  });

  it("ingest workflows and analyze summary / accuracy, and not in their JSON", () => {
    const db = join(directory, "history.db");
    const ingest = runOk(["ingest", "workflows", records, "--db", db]).stdout;
    expect(ingest).toMatch(
      /^1,500 runs read: 1,500 added, 0 already present, \d{1,3}(,\d{3})+ tool calls\n$/,
    );
    const json = JSON.parse(runOk(["ingest", "workflows", records, "--db", db, "--json"]).stdout);
    expect(json).toMatchObject({ read: 1500, already_present: 1500 });
    runOk(["backfill", "--db", db]);
    const summary = runOk(["analyze", "summary", "--db", db]).stdout;
    expect(summary).toMatch(/^occurrences: \d{1,3}(,\d{3})+$/m);
    expect(summary).toMatch(/^by status: (\w+ [\d,]+(, )?)+$/m);
    expect(summary).not.toMatch(/\d{4}/);
    expect(runOk(["analyze", "summary", "--db", db, "--json"]).stdout).toMatch(/"total_occurrences":\d{4,}/);
  });

  it("demo", () => {
    const run = runOk(["demo", "--db", join(directory, "demo.sqlite")]);
    expect(run.stderr).toMatch(/Loaded 370 runs with \d{1,3}(,\d{3})+ tool calls/);
  });
});
