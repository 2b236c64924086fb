import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN } from "./run-cli.js";
import { backfilledHistory } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

interface PipedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

/**
 * Runs the CLI with its stdout piped into a reader that goes away, as `| head -1` does: after the first
 * line, or (`at: "start"`) before the command writes anything, for commands whose output is one write.
 */
function runIntoClosingReader(args: string[], at: "first-line" | "start" = "first-line"): Promise<PipedRun> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  if (at === "start") child.stdout.destroy();
  else
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) child.stdout.destroy();
    });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status, signal) =>
      resolve({ status, signal, firstLine: stdout.split("\n")[0] ?? "", stderr }),
    );
  });
}

describe("a reader that closes the pipe early", { timeout: 120_000 }, () => {
  let records: string;
  let database: string;
  beforeAll(() => {
    // Enough output that the reader is gone long before the command is done writing.
    records = join(tempDirectory(), "runs.jsonl");
    const out = openSync(records, "w");
    spawnSync(process.execPath, [BIN, "generate", "--runs", "3000", "--seed", "5"], {
      stdio: ["ignore", out, "inherit"],
    });
    closeSync(out);
    database = backfilledHistory().path;
  }, 120_000);

  const commands: [string, () => string[], "first-line" | "start"][] = [
    ["detect", () => ["detect", records], "first-line"],
    ["detect --json", () => ["detect", records, "--json"], "first-line"],
    ["generate", () => ["generate", "--runs", "200000"], "first-line"],
    ["analyze top", () => ["analyze", "top", "--db", database], "start"],
    ["analyze top --json", () => ["analyze", "top", "--db", database, "--json"], "start"],
  ];
  it.each(commands)("%s ends quietly, exit 0, no stack trace", async (_name, args, at) => {
    const run = await runIntoClosingReader(args(), at);
    expect(run.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(run.signal).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    if (at === "first-line") expect(run.firstLine).not.toBe("");
  });
});

describe("a reader of stderr that closes the pipe early", { timeout: 120_000 }, () => {
  it("the command goes on and finishes its work, exit 0, its stdout whole", async () => {
    const path = join(tempDirectory(), "demo.sqlite");
    const child = spawn(process.execPath, [BIN, "demo", "--db", path], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.once("data", () => child.stderr.destroy());
    const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(status).toBe(0);
    expect(stdout).toMatch(/patterns, [\d,]+ occurrences, potential savings/);
  });

  it("`2>&1 | head` ends quietly: the pipeline succeeds under pipefail", () => {
    const path = join(tempDirectory(), "demo.sqlite");
    const run = spawnSync(
      "bash",
      ["-c", `set -o pipefail; "${process.execPath}" "${BIN}" demo --db "${path}" 2>&1 | head -c 10`],
      { encoding: "utf8" },
    );
    expect(run.stdout).toBe("Building /");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
