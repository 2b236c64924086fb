import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "./run-cli.js";
import { HISTORY_RUNS, ingestedHistory } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";

describe("backfill --follow", { timeout: 120_000 }, () => {
  it("records the history, keeps running, and on SIGINT stops with exit 0 and its summary", async () => {
    const { path } = ingestedHistory();
    const child = spawn(process.execPath, [BIN, "backfill", "--follow", "--json", "--db", path], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
    const until = Date.now() + 60_000;
    while (!stderr.includes("stop with Ctrl-C or SIGTERM")) {
      if (Date.now() > until) throw new Error(`never started following: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Still running after its first look: it follows, it does not end.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(child.exitCode).toBeNull();
    child.kill("SIGINT");
    expect(await exit).toBe(0);
    expect(stderr).toContain("SIGINT: stopping after the batch being written");
    expect(JSON.parse(stdout)).toMatchObject({ processed: HISTORY_RUNS, errors: 0, storage_failures: 0 });
  });

  it("refuses what does not go with following, in one line", () => {
    const { path } = ingestedHistory();
    expectRefusal(
      runCli(["backfill", "--follow", "--dry-run", "--db", path]),
      "neither --dry-run nor --limit",
    );
    expectRefusal(
      runCli(["backfill", "--follow", "--limit", "5", "--db", path]),
      "neither --dry-run nor --limit",
    );
    expectRefusal(
      runCli(["backfill", "--follow", "--interval", "0", "--db", path]),
      "--interval takes a whole number from 1 to 3600",
    );
    expectRefusal(runCli(["backfill", "--interval", "5", "--db", path]), "--interval goes with --follow");
  });
});
