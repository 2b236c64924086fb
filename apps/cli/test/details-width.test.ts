import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runJson, runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";
import { runInTerminal } from "./support/terminal.js";

const widest = (text: string) => Math.max(...text.split(/\r?\n/).map((line) => [...line].length));

describe("analyze details fits 100 columns", { timeout: 180_000 }, () => {
  let db: string;
  let patterns: string[];
  beforeAll(() => {
    // The bundled sample of real runs: commands chained with &&, long paths, long requests.
    db = join(tempDirectory(), "demo.sqlite");
    runOk(["demo", "--db", db]);
    patterns = runJson(["analyze", "top", "--db", db, "--limit", "4"]).map(
      (row: { pattern_signature: string }) => row.pattern_signature,
    );
    patterns.push("build:generic:all");
  }, 180_000);

  it("piped: every line at most 100 characters, the long commands cut with …", () => {
    let cut = false;
    for (const pattern of patterns) {
      const { stdout } = runOk(["analyze", "details", pattern, "--db", db]);
      expect(widest(stdout), `${pattern}\n${stdout}`).toBeLessThanOrEqual(100);
      expect(stdout).toContain("Example runs");
      cut ||= /&& [^\n]*…/.test(stdout);
    }
    expect(cut, "a chained command was cut to fit").toBe(true);
  });

  it("on a terminal, boxed: every line at most 100 characters", () => {
    for (const pattern of patterns.slice(-2)) {
      const run = runInTerminal(["analyze", "details", pattern, "--db", db], { env: { NO_COLOR: "1" } });
      expect(run.status, run.stdout).toBe(0);
      expect(run.stdout).toContain("│");
      expect(widest(run.stdout), run.stdout).toBeLessThanOrEqual(100);
    }
  });

  it("--json keeps every command whole", () => {
    const details = runJson(["analyze", "details", "build:generic:all", "--db", db]);
    expect(Math.max(...details.commands.map((c: { command: string }) => c.command.length))).toBeGreaterThan(
      60,
    );
  });
});
